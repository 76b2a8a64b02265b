using Orleans.Concurrency;

namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>A fan-out receiver: counts what it got.</summary>
public interface ISubscriberGrain : IGrainWithStringKey
{
    /// <summary>Prepares for a run: how many messages to expect before signalling the benchmark's countdown.</summary>
    Task Expect(int messages);

    /// <summary>One message, one-way: the sender does not wait for it.</summary>
    [OneWay]
    Task Deliver(int seq);

    /// <summary>Messages counted, and their checksum.</summary>
    Task<(long Count, long Checksum)> Stats();
}
