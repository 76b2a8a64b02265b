using NeuroMesh.Engine.Sharding;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Spikes;

namespace NeuroMesh.Simulation;

/// <summary>
/// A shard's engine as the <see cref="GpuWorker"/> handed it out: it says where it runs and why, gives its place back
/// when disposed, and on the device turns a device failure (an ILGPU exception, or an injected fault) into a
/// <see cref="GpuDeviceLostException"/> after marking the device lost. Protocol errors (a window before its peers' spikes,
/// a foreign spike) pass through unchanged: they are not the device's.
/// </summary>
internal sealed class WorkerShardEngine(IShardEngine inner, GpuWorker worker, bool gpu, string reason) : IShardEngine
{
    private bool _disposed;

    /// <summary>True when the shard runs on the device.</summary>
    public bool OnDevice => gpu;

    /// <inheritdoc />
    public ShardAssignment? Shard => inner.Shard;

    /// <inheritdoc />
    public string Description => $"{inner.Description}, {reason}";

    /// <inheritdoc />
    public long SynapseCount => inner.SynapseCount;

    /// <inheritdoc />
    public long WindowsRun => inner.WindowsRun;

    /// <inheritdoc />
    public bool PeersComplete => inner.PeersComplete;

    /// <inheritdoc />
    public long WindowLastTick => inner.WindowLastTick;

    /// <inheritdoc />
    public int RemotePending => inner.RemotePending;

    /// <inheritdoc />
    public IReadOnlyList<int> MissingPeers() => inner.MissingPeers();

    /// <inheritdoc />
    public ShardWindow RunWindow(int ticks) => Guard(() =>
    {
        if (gpu)
        {
            worker.ThrowIfFaultArmed();
        }

        return inner.RunWindow(ticks);
    });

    /// <inheritdoc />
    public void IngestRemote(int fromShard, ReadOnlySpan<Spike> spikes, bool endOfWindow = true)
    {
        // Not through Guard: a span cannot be captured, and copying every frame's spikes would tax the CPU path too.
        try
        {
            inner.IngestRemote(fromShard, spikes, endOfWindow);
        }
        catch (Exception e) when (gpu && IsDeviceFailure(e))
        {
            throw worker.Lost(e);
        }
    }

    /// <inheritdoc />
    public void Inject(int neuron, double weight, SpikeType channel = SpikeType.Excitatory, int delayTicks = 0) => inner.Inject(neuron, weight, channel, delayTicks);

    /// <inheritdoc />
    public PlasticWeightDiff DiffPlasticWeights() => Guard(inner.DiffPlasticWeights);

    /// <inheritdoc />
    public bool TryGetWeight(int source, int target, out double weight) => inner.TryGetWeight(source, target, out weight);

    /// <inheritdoc />
    public (long Eligible, bool Plastic, double[] Weights) SampleWeights(int max) => Guard(() => inner.SampleWeights(max));

    /// <inheritdoc />
    public EngineState ExportState() => Guard(inner.ExportState);

    /// <inheritdoc />
    public Func<EngineState> CaptureState() => Guard(inner.CaptureState);

    /// <inheritdoc />
    public void ImportState(EngineState state) => Guard(() =>
    {
        inner.ImportState(state);
        return true;
    });

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            inner.Dispose();
        }
        catch (Exception) when (gpu && worker.IsLost)
        {
            // A failed device may refuse to free what it held; the worker no longer uses it.
        }
        finally
        {
            worker.Released(gpu);
        }
    }

    internal static bool IsDeviceFailure(Exception e)
        => e is InjectedDeviceFaultException || e.GetType().Namespace?.StartsWith("ILGPU", StringComparison.Ordinal) == true
            || (e.InnerException is { } inner && IsDeviceFailure(inner));

    private T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (gpu && IsDeviceFailure(e))
        {
            throw worker.Lost(e);
        }
    }
}

/// <summary>A fault armed by <see cref="IGpuWorkerGrain.InjectDeviceFault"/>, thrown where a device error would be.</summary>
internal sealed class InjectedDeviceFaultException(string message) : Exception(message);
