using Orleans.Concurrency;

namespace NeuroMesh.Simulation;

/// <summary>
/// One shard of a lockstep run (string key <c>{silo}/{run}/{epoch}/{index}</c>): it simulates a contiguous range of the
/// network's neurons on the silo its key names, exchanges each window's spikes with its peers over the spike streams and
/// starts a window only when it holds every peer's end-of-window marker for the one before. Driven by the run's
/// <see cref="ISimulationGrain"/>.
/// </summary>
public interface IRegionShardGrain : IGrainWithStringKey
{
    /// <summary>Builds this shard's engine for <paramref name="setup"/> and opens its channel on this silo.</summary>
    /// <exception cref="InvalidOperationException">The shard is already prepared.</exception>
    /// <exception cref="ArgumentException">The setup does not match the key, or the spec is invalid or cannot be split there.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<ShardInfo> Prepare(ShardSetup setup);

    /// <summary>
    /// Runs <paramref name="ticks"/> ticks from <paramref name="fromTick"/>, window by window, and returns its neurons'
    /// spikes. <paramref name="inputs"/> are the run's external inputs in that range (every shard gets the same list and
    /// splits its windows at their ticks; each applies those of its own neurons).
    /// </summary>
    /// <exception cref="InvalidOperationException">The shard is not prepared or not at <paramref name="fromTick"/>.</exception>
    /// <exception cref="TimeoutException">A peer's end of window did not arrive in time; the run cannot continue on this placement.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<ShardAdvance> Advance(long fromTick, long ticks, IReadOnlyList<ExternalInput> inputs);

    /// <summary>Up to <paramref name="max"/> of the shard's synaptic weights (see <see cref="WeightSample"/>).</summary>
    /// <exception cref="InvalidOperationException">The shard is not prepared.</exception>
    Task<WeightSample> SampleWeights(int max);

    /// <summary>
    /// Copies the engine's state at the current tick (the end of the last <see cref="Advance"/>, every peer's spikes applied)
    /// and starts encoding it in the background; the shard can advance again at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The shard is not prepared, or its state cannot be captured whole.</exception>
    /// <exception cref="NotSupportedException">The shard's engine cannot write snapshots (IlgpuEngine, for now).</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<ShardStateExport> ExportState();

    /// <summary>The encoded section of the state <see cref="ExportState"/> copied at <paramref name="tick"/>, once encoded.</summary>
    /// <exception cref="InvalidOperationException">No export of that tick is waiting.</exception>
    [AlwaysInterleave]
    [ResponseTimeout(LongOperation.Timeout)]
    Task<byte[]> TakeExport(long tick);

    /// <summary>
    /// Puts this freshly prepared shard at the state of a snapshot file (the bytes of a <c>RunSnapshot</c>),
    /// whatever the number of shards that wrote it; the next <see cref="Advance"/> starts at its tick.
    /// </summary>
    /// <exception cref="InvalidOperationException">The shard is not prepared or has advanced.</exception>
    /// <exception cref="ArgumentException">The file is unreadable or of another network.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<ShardInfo> ImportState(byte[] snapshot);

    /// <summary>The shard's counters.</summary>
    Task<ShardInfo> GetInfo();

    /// <summary>Frees the engine and closes the channel; the activation then goes away.</summary>
    Task Release();
}
