namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>Fan-out over one-way grain calls: the cheapest way Orleans offers to send without waiting.</summary>
public sealed class PublisherGrain : Grain, IPublisherGrain
{
    /// <inheritdoc />
    public Task Publish(ISubscriberGrain[] subscribers, int messages)
    {
        for (var seq = 0; seq < messages; seq++)
        {
            foreach (var subscriber in subscribers)
            {
                // [OneWay]: the returned task is already complete; nothing to await.
                _ = subscriber.Deliver(seq);
            }
        }

        return Task.CompletedTask;
    }
}
