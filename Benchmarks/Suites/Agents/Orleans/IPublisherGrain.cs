namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>A fan-out sender.</summary>
public interface IPublisherGrain : IGrainWithStringKey
{
    /// <summary>Sends messages 0..<paramref name="messages"/>-1 to every subscriber with one-way calls.</summary>
    Task Publish(ISubscriberGrain[] subscribers, int messages);
}
