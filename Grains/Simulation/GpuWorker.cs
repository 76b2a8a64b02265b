using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Telemetry;

namespace NeuroMesh.Simulation;

/// <summary>
/// The silo's GPU worker: it owns the accelerator, decides by the offload policy where each region shard of the silo
/// runs, builds the shard's engine there, and, when the device fails, marks it lost so that every later shard of the
/// silo runs on CpuEngine. <see cref="GpuWorkerGrain"/> is its face to the cluster (status, fault injection); the
/// engines themselves stay in this process, next to the shard grains that drive them, because an engine holds device
/// memory and cannot cross a grain call.
/// </summary>
public sealed class GpuWorker(IOptions<GpuWorkerOptions> options, ILocalSiloDetails silo, SiloMetrics metrics, ILogger<GpuWorker> logger)
{
    private readonly Lock _gate = new();
    private readonly GpuWorkerOptions _options = options.Value;
    private string? _lostReason;
    private string? _pendingFault;
    private string _lastDecision = string.Empty;
    private int _onDevice;
    private int _onCpu;
    private long _fallbacks;
    private bool? _present;
    private string? _deviceName;

    /// <summary>The policy in effect (auto, gpu or cpu).</summary>
    public string Offload => _options.Offload.ToLowerInvariant();

    /// <summary>Whether the configured accelerator exists on this machine (probed once).</summary>
    public bool DevicePresent => _present ??= Offload != "cpu" && IlgpuEngine.IsPresent(_options.Accelerator);

    /// <summary>True once the device failed.</summary>
    public bool IsLost
    {
        get
        {
            lock (_gate)
            {
                return _lostReason is not null;
            }
        }
    }

    /// <summary>The silo's worker status.</summary>
    public GpuWorkerStatus Status()
    {
        lock (_gate)
        {
            return new GpuWorkerStatus
            {
                Silo = silo.SiloAddress.ToParsableString(), Offload = Offload,
                Device = DevicePresent ? DeviceKind().ToString() : "none",
                DeviceName = DevicePresent && _deviceName is not null ? _deviceName : string.Empty,
                DeviceLost = _lostReason is not null, LostReason = _lostReason ?? string.Empty,
                ShardsOnDevice = _onDevice, ShardsOnCpu = _onCpu, Fallbacks = _fallbacks, LastDecision = _lastDecision,
            };
        }
    }

    /// <summary>
    /// Where shard <paramref name="shard"/> of <paramref name="spec"/> runs, and why: the device when the policy, the device and
    /// the kernels allow it, otherwise CpuEngine.
    /// </summary>
    /// <exception cref="NotSupportedException">The policy is <c>gpu</c> and the shard cannot run on the device (the reason is named).</exception>
    public (bool Gpu, string Reason) Decide(NetworkSpec spec, ShardAssignment shard)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(shard);
        var neurons = shard.Plan.Hi(shard.Index) - shard.Plan.Lo(shard.Index);
        string? against;
        lock (_gate)
        {
            against = Offload == "cpu" ? "the offload policy is cpu"
                : _lostReason is not null ? $"this silo's device was lost ({_lostReason})"
                : !DevicePresent ? $"no {(_options.Accelerator == IlgpuDevice.Auto ? "CUDA or OpenCL" : _options.Accelerator.ToString())} device is present"
                : IlgpuEngine.Unsupported(spec) is { } unsupported ? unsupported
                : Offload == "auto" && neurons < _options.MinNeurons ? $"the shard has {neurons} neurons, fewer than {GpuWorkerOptions.SectionName}:MinNeurons ({_options.MinNeurons})"
                : null;
        }

        if (against is not null && Offload == "gpu")
        {
            throw new NotSupportedException($"{GpuWorkerOptions.SectionName}:Offload is gpu, but shard {shard.Index} cannot run on the device: {against}");
        }

        return against is null ? (true, $"on the device by the {Offload} policy") : (false, $"on CpuEngine: {against}");
    }

    /// <summary>Builds shard <paramref name="shard"/>'s engine where <see cref="Decide"/> puts it; dispose it to give its place back.</summary>
    public IShardEngine Create(NetworkSpec spec, EngineOptions cpuOptions, ShardAssignment shard)
    {
        ArgumentNullException.ThrowIfNull(cpuOptions);
        var (gpu, reason) = Decide(spec, shard);
        IShardEngine? engine = null;
        if (gpu)
        {
            engine = TryBuildOnDevice(spec, cpuOptions, shard, reason, out var refused);
            (gpu, reason) = engine is null ? (false, refused) : (true, reason);
        }

        engine ??= new WorkerShardEngine(new CpuEngine(spec, cpuOptions with { Shard = shard }), this, gpu: false, reason);

        lock (_gate)
        {
            _ = gpu ? _onDevice++ : _onCpu++;
            _lastDecision = $"shard {shard.Index}: {engine.Description} ({reason})";
        }

        if (gpu)
        {
            metrics.AddGpuShards(1);
        }

        return engine;
    }

    /// <summary>
    /// The shard's IlgpuEngine, or null with the reason it goes to CpuEngine instead: a device that fails while the
    /// engine is built (kernel load, upload) is lost as it would be mid-window, and one that lacks the memory for the shard
    /// keeps its other shards. Under the <c>gpu</c> policy either failure is the shard's error.
    /// </summary>
    private WorkerShardEngine? TryBuildOnDevice(NetworkSpec spec, EngineOptions cpuOptions, ShardAssignment shard, string reason, out string refused)
    {
        try
        {
            ThrowIfFaultArmed();
            var device = new IlgpuEngine(spec, new IlgpuEngineOptions { Device = _options.Accelerator, Seed = cpuOptions.Seed, MaxDelayTicks = cpuOptions.MaxDelayTicks, Shard = shard });
            _deviceName ??= device.DeviceName;
            refused = string.Empty;
            return new WorkerShardEngine(device, this, gpu: true, reason);
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            refused = $"on CpuEngine: the device has no room for the shard ({e.GetType().Name}: {e.Message})";
            logger.LogWarning("GPU worker of silo {Silo}: shard {Shard} does not fit on the device and runs on CpuEngine: {Error}", silo.SiloAddress.ToParsableString(), shard.Index, e.Message);
            if (Offload == "gpu")
            {
                throw new NotSupportedException($"{GpuWorkerOptions.SectionName}:Offload is gpu, but shard {shard.Index} does not fit on the device: {e.Message}", e);
            }

            return null;
        }
        catch (Exception e) when (WorkerShardEngine.IsDeviceFailure(e))
        {
            _ = Lost(e, "while a shard's engine was built");
            if (Offload == "gpu")
            {
                throw new NotSupportedException($"{GpuWorkerOptions.SectionName}:Offload is gpu, but the device failed while shard {shard.Index}'s engine was built ({e.GetType().Name}: {e.Message})");
            }

            refused = $"on CpuEngine: the device failed while the shard was built ({e.GetType().Name}: {e.Message})";
            return null;
        }
    }

    /// <summary>An allocation the device could not serve (CUDA's out-of-memory, or .NET's for host-side buffers).</summary>
    internal static bool IsOutOfMemory(Exception e)
        => e is OutOfMemoryException or ILGPU.Runtime.Cuda.CudaException { Error: nameof(ILGPU.Runtime.Cuda.CudaError.CUDA_ERROR_OUT_OF_MEMORY) }
            || (e.InnerException is { } inner && IsOutOfMemory(inner));

    /// <summary>Arms a fault: the next use of this silo's device (a shard's window, or the building of a shard's engine) fails as a lost device would. False when no device is in use.</summary>
    public bool InjectFault(string reason)
    {
        lock (_gate)
        {
            if (!DevicePresent || _lostReason is not null)
            {
                return false;
            }

            _pendingFault = string.IsNullOrWhiteSpace(reason) ? "injected device fault" : reason;
            return true;
        }
    }

    /// <summary>Throws the armed fault once, if there is one (called before each device window and each device build).</summary>
    internal void ThrowIfFaultArmed()
    {
        string? fault;
        lock (_gate)
        {
            (fault, _pendingFault) = (_pendingFault, null);
        }

        if (fault is not null)
        {
            throw new InjectedDeviceFaultException($"accelerator failure (injected): {fault}");
        }
    }

    /// <summary>Marks the device lost after <paramref name="failure"/>, logs and counts it, and returns the error a run acts on.</summary>
    internal GpuDeviceLostException Lost(Exception failure, string when = "mid-window")
    {
        var here = silo.SiloAddress.ToParsableString();
        lock (_gate)
        {
            if (_lostReason is null)
            {
                _lostReason = $"{failure.GetType().Name}: {failure.Message}";
                _fallbacks++;
                metrics.AddGpuFallback();
                logger.LogError(failure, "GPU worker of silo {Silo}: the device failed; this silo's shards run on CpuEngine from now on, and runs roll back to their last checkpoint", here);
            }
        }

        // The failure itself is logged above and not attached: an ILGPU exception (or the injected one) has no Orleans
        // codec, and an error that cannot be serialized would reach a run on another silo as something else, which then
        // waits for its peers' window timeout instead of falling back.
        return new GpuDeviceLostException($"the device of silo {here} failed {when} ({failure.GetType().Name}: {failure.Message}); the run rolls back to its last checkpoint on CpuEngine")
        {
            Silo = here,
        };
    }

    /// <summary>A shard's engine was disposed: its place on the device or the CPU is free.</summary>
    internal void Released(bool gpu)
    {
        lock (_gate)
        {
            _ = gpu ? _onDevice-- : _onCpu--;
        }

        if (gpu)
        {
            metrics.AddGpuShards(-1);
        }
    }

    private IlgpuDevice DeviceKind() => _options.Accelerator switch
    {
        IlgpuDevice.Auto => IlgpuEngine.IsPresent(IlgpuDevice.Cuda) ? IlgpuDevice.Cuda : IlgpuDevice.OpenCL,
        var kind => kind,
    };
}
