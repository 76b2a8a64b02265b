namespace NeuroMesh.Engine;

/// <summary>Spike-train helpers shared by every engine (and by the shards of a run, whose trains are merged).</summary>
public static class SpikeTrains
{
    /// <summary>
    /// The spike-train hash of <see cref="RunResult.SpikeTrainHash"/>: SHA-256 (hex) over the spikes sorted by tick and then
    /// neuron. The spikes are sorted here, so the union of several shards' trains may be passed in any order.
    /// </summary>
    public static string Hash(IEnumerable<SpikeRecord> spikes)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        var sorted = spikes.ToArray();
        Array.Sort(sorted, static (a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Neuron.CompareTo(b.Neuron));
        return SpikeTrainHash.Of(sorted);
    }
}
