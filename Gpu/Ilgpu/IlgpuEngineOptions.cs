namespace NeuroMesh.Engine.Ilgpu;

/// <summary>How an <see cref="IlgpuEngine"/> is built.</summary>
public sealed record class IlgpuEngineOptions
{
    /// <summary>The accelerator: <see cref="IlgpuDevice.Auto"/> (CUDA, then OpenCL) unless the CPU emulator is asked for by name.</summary>
    public IlgpuDevice Device { get; init; } = IlgpuDevice.Auto;

    /// <summary>Ticks the device runs between two spike transfers to the host (it is capped so that a window's spike buffer stays under 2^27 entries).</summary>
    public int WindowTicks { get; init; } = 256;

    /// <summary>
    /// Spike count from which propagation runs a thread per spike instead of a thread group per spike; 0 picks the
    /// number of threads in the propagation grid (fewer spikes than that would leave threads idle).
    /// </summary>
    public int PresynapticMinSpikes { get; init; }

    /// <summary>The largest delay (ticks) that injections may use; the spec's own delays are always allowed.</summary>
    public int MaxDelayTicks { get; init; } = 16;

    /// <summary>Overrides the seed of the spec when set.</summary>
    public ulong? Seed { get; init; }

    /// <summary>
    /// When set, the engine simulates only this shard of the network (its neurons, every synapse onto them and their
    /// stimuli), advances with <see cref="IlgpuEngine.RunWindow"/> and takes the other shards' spikes with
    /// <see cref="IlgpuEngine.IngestRemote"/>, exactly as a sharded <see cref="Cpu.CpuEngine"/> does.
    /// </summary>
    public Sharding.ShardAssignment? Shard { get; init; }
}
