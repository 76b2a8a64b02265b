using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Sharding;

/// <summary>
/// An engine that simulates one shard of a lockstep run: windows of at most <see cref="ShardPlan.WindowTicks"/> ticks,
/// with the other shards' spikes of each window taken before the next. <see cref="Cpu.CpuEngine"/> and
/// <see cref="Ilgpu.IlgpuEngine"/> (built with a shard) both are one, and give the same spikes and weights.
/// </summary>
public interface IShardEngine : IDisposable
{
    /// <summary>The shard this engine simulates.</summary>
    ShardAssignment? Shard { get; }

    /// <summary>The engine in words, for status and logs (for example "CpuEngine, 2 threads" or "IlgpuEngine on Cuda: NVIDIA H100").</summary>
    string Description { get; }

    /// <summary>The synapses onto this shard's neurons.</summary>
    long SynapseCount { get; }

    /// <summary>The windows run so far.</summary>
    long WindowsRun { get; }

    /// <summary>True when the next window may start: no window has run yet, or every other shard has ended the last one.</summary>
    bool PeersComplete { get; }

    /// <summary>The last tick of the window run last (-1 before the first).</summary>
    long WindowLastTick { get; }

    /// <summary>Remote spikes taken for the last window and not applied yet (some peer has not ended it).</summary>
    int RemotePending { get; }

    /// <summary>The shards whose end of the last window has not arrived.</summary>
    IReadOnlyList<int> MissingPeers();

    /// <summary>Runs a window of <paramref name="ticks"/> ticks and returns this shard's spikes, in (tick, neuron) order.</summary>
    ShardWindow RunWindow(int ticks);

    /// <summary>Takes spikes that shard <paramref name="fromShard"/> fired in the window this engine ran last.</summary>
    void IngestRemote(int fromShard, ReadOnlySpan<Spike> spikes, bool endOfWindow = true);

    /// <summary>Adds <paramref name="weight"/> to a neuron's input channel, arriving <paramref name="delayTicks"/> ticks after the next tick starts.</summary>
    void Inject(int neuron, double weight, SpikeType channel = SpikeType.Excitatory, int delayTicks = 0);

    /// <summary>The plastic synapses onto this shard's neurons whose weight changed since the previous call (the first call compares with the weights as built).</summary>
    PlasticWeightDiff DiffPlasticWeights();

    /// <summary>The current weight of the first synapse from <paramref name="source"/> to <paramref name="target"/> (a neuron of this shard).</summary>
    bool TryGetWeight(int source, int target, out double weight);

    /// <summary>Up to <paramref name="max"/> weights, evenly strided over the plastic synapses when there are any, otherwise over all.</summary>
    (long Eligible, bool Plastic, double[] Weights) SampleWeights(int max);

    /// <summary>The state of this shard's neurons at the end of its last window, once every peer's spikes of it are applied.</summary>
    /// <exception cref="InvalidOperationException">Peers' spikes are missing, or the state cannot be captured whole.</exception>
    /// <exception cref="NotSupportedException">This engine cannot write snapshots.</exception>
    EngineState ExportState();

    /// <summary>
    /// <see cref="ExportState"/> in two halves: the copy that must happen before the next window (the call itself) and the
    /// rest, which the returned function does from that copy and may do on another thread while the engine runs on.
    /// </summary>
    /// <exception cref="InvalidOperationException">As <see cref="ExportState"/>.</exception>
    /// <exception cref="NotSupportedException">As <see cref="ExportState"/>.</exception>
    Func<EngineState> CaptureState()
    {
        var state = ExportState();
        return () => state;
    }

    /// <summary>Puts this freshly built shard at the state (of the whole network) that <paramref name="state"/> holds.</summary>
    /// <exception cref="ArgumentException">The state is of another network.</exception>
    /// <exception cref="NotSupportedException">This engine cannot restore snapshots.</exception>
    void ImportState(EngineState state);
}
