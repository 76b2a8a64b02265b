using NeuroMesh.Engine.Sharding;
using NeuroMesh.Synapses;

namespace NeuroMesh.Engine;

/// <summary>How a <see cref="Cpu.CpuEngine"/> is built.</summary>
public sealed record class EngineOptions
{
    /// <summary>Worker threads; 0 picks by network size (one thread for small networks, all cores for large ones).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// When true (the default) and <see cref="Threads"/> &gt; 1, each window of 256 ticks runs either on all threads or
    /// serially on the calling thread, whichever was faster in the last probe (16 to 64 ticks of each by network size, back to back; probes
    /// repeat every 2 to 64 windows, rarer while the decision holds). Results are identical either way. False always runs on all threads.
    /// </summary>
    public bool AdaptiveParallelism { get; init; } = true;

    /// <summary>The largest delay (ticks) that injections and runtime-added synapses may use; the spec's own delays are always allowed.</summary>
    public int MaxDelayTicks { get; init; } = 16;

    /// <summary>Where custom dendritic filters are looked up.</summary>
    public DendriticFilterRegistry Filters { get; init; } = DendriticFilterRegistry.Shared;

    /// <summary>Overrides the seed of the spec when set.</summary>
    public ulong? Seed { get; init; }

    /// <summary>
    /// When set, the engine simulates only this shard of the network: the neurons of the shard, every synapse onto them,
    /// and their stimuli. It advances with <see cref="Cpu.CpuEngine.RunWindow()"/> and takes the other shards' spikes with
    /// <see cref="Cpu.CpuEngine.IngestRemote"/>; <see cref="IPropagationEngine.Run"/> and <see cref="IPropagationEngine.Step"/> are refused.
    /// </summary>
    public ShardAssignment? Shard { get; init; }
}
