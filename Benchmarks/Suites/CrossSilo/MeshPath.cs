using System.Diagnostics;
using NeuroMesh.Cluster;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>The NeuroMesh path: the sending silo's <see cref="SiloOutbox"/> (agent mode, so the producer is throttled, never dropped).</summary>
internal sealed class MeshPath(SiloOutbox outbox, SiloAddress destination) : ISpikePath
{
    public string Name => "NeuroMesh mesh (outbox + memory streams)";

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
