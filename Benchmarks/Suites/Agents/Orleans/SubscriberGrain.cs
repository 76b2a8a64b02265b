namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>Counts deliveries; the last expected one signals <see cref="FanOutProbe"/> (the silo runs in the benchmark's process).</summary>
public sealed class SubscriberGrain : Grain, ISubscriberGrain
{
    private long _expected = -1;
    private long _count;
    private long _sum;

    /// <inheritdoc />
    public Task Expect(int messages)
    {
        _expected = messages;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Deliver(int seq)
    {
        _sum += seq;
        if (++_count == _expected)
        {
            FanOutProbe.Signal();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<(long Count, long Checksum)> Stats() => Task.FromResult((_count, _sum));
}
