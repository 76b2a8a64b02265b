using System.Diagnostics;
using NeuroMesh.Cluster;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>The NeuroMesh path: a <see cref="SiloOutbox"/> of the sending silo (agent mode, so the producer is throttled, never dropped).</summary>
internal sealed class MeshPath(string name, SiloOutbox outbox, SiloAddress destination) : ISpikePath
{
    public string Name => name;

    public ValueTask SendAsync(ReadOnlyMemory<Spike> spikes) => outbox.SendAsync(destination, spikes);

    public async Task DrainAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (outbox.Counters(destination).InFlight > 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"mesh lane did not drain: {outbox.Counters(destination)}");
            }

            await Task.Delay(1);
        }
    }

    public (long Dropped, string Detail) Drops()
    {
        var c = outbox.Counters(destination);
        return (c.Dropped, $"outbox full {c.DroppedOutboxFull}, enqueue failed {c.DroppedEnqueueFailed}, lost {c.DroppedLost}, closed {c.DroppedClosed}");
    }
}
