using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Sharding;

/// <summary>What one shard produced in one window: the spikes of its own neurons, to be sent to every other shard.</summary>
/// <param name="Shard">The shard that ran the window.</param>
/// <param name="Index">The window's number, from 0.</param>
/// <param name="FirstTick">The window's first tick.</param>
/// <param name="Ticks">The window's length in ticks (at most <see cref="ShardPlan.WindowTicks"/>).</param>
/// <param name="Spikes">
/// The window's spikes sorted by tick and then neuron: <see cref="Spike.Source"/> is the neuron, <see cref="Spike.Tick"/>
/// the tick it fired in, <see cref="Spike.Target"/> is <see cref="Spike.BroadcastTarget"/>.
/// </param>
public sealed record class ShardWindow(int Shard, long Index, long FirstTick, int Ticks, Spike[] Spikes)
{
    /// <summary>The window's last tick (inclusive).</summary>
    public long LastTick => FirstTick + Ticks - 1;

    /// <summary>The spikes as (tick, neuron) records, in the same order.</summary>
    public SpikeRecord[] ToRecords() => [.. Spikes.Select(s => new SpikeRecord(s.Tick, (int)s.Source))];
}
