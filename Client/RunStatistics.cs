using NeuroMesh.Simulation;

namespace NeuroMesh.Client;

/// <summary>A run's statistics: its status, its shards and the rates derived from them.</summary>
/// <param name="Status">The run's status.</param>
/// <param name="Shards">Its region shards (empty while it is not placed).</param>
public sealed record RunStatistics(RunStatus Status, IReadOnlyList<ShardInfo> Shards)
{
    /// <summary>Simulated seconds so far.</summary>
    public double SimulatedSeconds => Status.Tick * Status.DtMs / 1000.0;

    /// <summary>Mean firing rate over every neuron so far, in Hz (0 before the first tick).</summary>
    public double MeanRateHz => Status.Neurons == 0 || SimulatedSeconds == 0 ? 0 : Status.Spikes / (double)Status.Neurons / SimulatedSeconds;

    /// <summary>Spikes sent between shards (once per receiving peer).</summary>
    public long CrossShardSpikes => Shards.Sum(s => s.SpikesSent);

    /// <summary>Frames rejected by the shards (corrupt, truncated, replayed).</summary>
    public long FramesRejected => Shards.Sum(s => s.FramesRejected);
}
