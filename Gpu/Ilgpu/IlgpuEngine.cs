using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Kernels;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Network;
using NeuroMesh.Synapses;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>
/// The ILGPU propagation engine: LIF updates, scan-based spike compaction, CSR propagation into fixed-point delay rings
/// with integer atomics, and Poisson drive from the counter-based generator, all on the device. Device buffers persist
/// across calls; per window of ticks the host sends only injected inputs and receives only the compacted spikes.
/// CUBA and delta-synapse spike trains are bit-identical to <see cref="CpuEngine"/>'s; COBA stays close (within 0.01 mV over
/// short runs: the exponentials differ). STDP and R-STDP (with the modulatory channel) run on the device with CpuEngine's
/// order and arithmetic, so plastic weights and spike trains stay bit-identical too. Dendritic filters, hosted (observed)
/// neurons, external deliveries and runtime synapse edits are not on the device: such networks belong on CpuEngine (see
/// <see cref="Unsupported"/>).
/// </summary>
public sealed partial class IlgpuEngine : IPropagationEngine, IShardEngine
{
    private readonly NetworkSpec _spec;
    private readonly ShardAssignment? _shard;
    private readonly int _lo;
    private readonly int _hi;
    private readonly DeviceHost _host;
    private readonly KernelSet _k;
    private readonly AcceleratorStream _stream;
    private readonly List<MemoryBuffer> _buffers = [];
    private readonly NeuronArrays _layout;
    private readonly DeviceCsr _csr;
    private readonly int _maxDelay;
    private readonly int _window;
    private readonly int _preMinSpikes;
    private readonly KernelConfig _propagateConfig;
    private readonly bool[] _models = new bool[3];
    private readonly NeuronViews _neurons;
    private readonly RingViews _ring;
    private readonly CsrViews _csrViews;
    private readonly SpikeWindowViews[] _windows = new SpikeWindowViews[2];
    private readonly AcceleratorStream _copyStream;
    private readonly PageLocked[] _pinned = [new(), new()];
    private readonly ArrayView<LifParams> _pops;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _fired;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _position;
    private readonly ArrayView<int> _scanTemp;
    private readonly ArrayView<long> _counters;
    private readonly PlasticViews _plastic;
    private readonly bool _hasRules;
    private readonly bool _hasModulation;
    private readonly bool _hasReward;
    private readonly (int Start, int Stop)[] _poissonTicks = [];
    private readonly ArrayView<PoissonParams> _poissonSources;
    private readonly ArrayView<int> _poissonNeurons;
    private readonly ArrayView<int> _poissonOwner;
    private readonly int[] _timedTicks;
    private readonly ArrayView<CellInput> _timed;
    private int _timedCursor;
    private long _tick;
    private bool _disposed;

    /// <summary>Builds the network a spec describes on an accelerator (the spec is validated first).</summary>
    /// <exception cref="NetworkSpecException">The spec is invalid.</exception>
    /// <exception cref="NotSupportedException">The spec uses a feature the device kernels lack (see <see cref="Unsupported"/>), or the device is absent.</exception>
    public IlgpuEngine(NetworkSpec spec, IlgpuEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        NetworkSpecValidator.ThrowIfInvalid(spec);
        options ??= new IlgpuEngineOptions();
        if (options.MaxDelayTicks is < 0 or > ushort.MaxValue || options.WindowTicks < 1 || options.PresynapticMinSpikes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxDelayTicks must be in [0, 65535], WindowTicks >= 1 and PresynapticMinSpikes >= 0");
        }

        if (Unsupported(spec) is { } reason)
        {
            throw new NotSupportedException($"IlgpuEngine cannot run this network: {reason}; run it on CpuEngine");
        }

        _spec = spec;
        NeuronCount = spec.NeuronCount;
        Dt = spec.Dt;
        Seed = options.Seed ?? spec.Seed;
        _shard = CpuEngine.CheckShard(spec, Seed, options.Shard);
        (_lo, _hi) = _shard is null ? (0, NeuronCount) : (_shard.Plan.Lo(_shard.Index), _shard.Plan.Hi(_shard.Index));
        _shardWindow = _shard is null ? null : new ShardWindowState(_shard);
        _host = DeviceHost.Get(options.Device);
        var a = _host.Accelerator;
        var plan = _shard is null
            ? new NetworkPlan(spec, Seed, DendriticFilterRegistry.Shared)
            : new NetworkPlan(spec, Seed, DendriticFilterRegistry.Shared, _lo, _hi, _shard.Plan.FixedPointShift);
        _maxDelay = Math.Max(plan.MaxDelay, options.MaxDelayTicks);
        if (3L * (_maxDelay + 1) * (NeuronCount + 1) >= int.MaxValue)
        {
            throw new NotSupportedException($"the input rings ({_maxDelay + 1} delay slots × {NeuronCount + 1} neurons × 3 channels) exceed 32-bit indexing; use shorter delays");
        }

        _layout = new NeuronArrays(NeuronCount, _maxDelay + 1, plan.FixedShift);
        _csr = new DeviceCsr(AllEdges(plan, _layout), NeuronCount);
        SynapseCount = _csr.Target.Length;
        _window = (int)Math.Clamp((1L << 26) / Math.Max(1, NeuronCount), 1, options.WindowTicks);
        lock (_host.Gate)
        {
            try
            {
                _k = _host.Kernels;
                _stream = a.CreateStream();
                var offsets = spec.PopulationOffsets();
                var kernels = spec.Populations.Select((p, i) => new PopulationKernel(p, offsets[i], Dt)).ToArray();
                var population = new byte[NeuronCount];
                for (var p = 0; p < kernels.Length; p++)
                {
                    population.AsSpan(kernels[p].Start, kernels[p].End - kernels[p].Start).Fill(checked((byte)p));
                    _models[LifParams.ModelId(kernels[p].Model)] |= kernels[p].End > kernels[p].Start;
                }

                SpikeMonitors.InitialPotentials(spec, Seed, _layout.V, _lo, _hi);
                _fired = Alloc<int>(NeuronCount);
                _position = Alloc<int>(NeuronCount);
                _neurons = new NeuronViews
                {
                    V = Upload(_layout.V), Ge = Alloc<float>(NeuronCount).View, Gi = Alloc<float>(NeuronCount).View,
                    RefUntil = Alloc<int>(NeuronCount).View, Population = Upload(population), Fired = _fired.View,
                };
                _ring = new RingViews
                {
                    Acc = Alloc<int>(3L * _layout.Slots * _layout.Stride).View, Slots = _layout.Slots, Stride = _layout.Stride,
                    ChannelSize = _layout.Slots * _layout.Stride,
                };
                _pops = Upload(kernels.Select(k => new LifParams(k)).ToArray());
                _csrViews = new CsrViews
                {
                    RowStart = Upload(_csr.RowStart), Target = Upload(_csr.Target), Weight = Upload(_csr.Weight), DelayChannel = Upload(_csr.DelayChannel),
                };
                for (var b = 0; b < _windows.Length; b++)
                {
                    _windows[b] = new SpikeWindowViews
                    {
                        Spikes = Alloc<int>((long)_window * NeuronCount).View, Meta = Alloc<int>(SpikeWindowViews.MetaLength(_window)).View, TickCounts = Alloc<int>(_window).View,
                    };
                }

                _copyStream = a.CreateStream();
                _scanTemp = Alloc<int>(Math.Max(1, a.ComputeScanTempStorageSize<int>(Math.Max(1, NeuronCount)))).View;
                _counters = Alloc<long>(2).View;
                var rules = plan.PlasticSpecs.Select(p => new RuleParams(new PlasticRule(p.Spec, p.SrcStart, p.SrcEnd, 1, 0, Dt, _layout), Dt)).ToArray();
                _hasRules = rules.Length > 0;
                _hasReward = rules.Any(r => r.Reward != 0);
                _hasModulation = spec.Projections.Any(p => p.Channel == SynapseChannels.Modulatory)
                    || spec.Stimuli.Any(s => s.Channel == SynapseChannels.Modulatory) || _hasReward;
                _plastic = PlasticState(rules);
                _remotePlastic = _shard is not null && _hasRules && Enumerable.Range(_csr.InStart[_lo], _csr.InStart[_hi] - _csr.InStart[_lo]).Any(e => _csr.InSource[e] < _lo || _csr.InSource[e] >= _hi);
                _replayPlastic = _plastic;
                if (_remotePlastic)
                {
                    // The post traces as the window started, replayed with the other shards' spikes (see ApplyRemote).
                    _replayPlastic.PostY = Alloc<float>(_plastic.PostY.Length).View;
                    _replayPlastic.PostT = Alloc<int>(_plastic.PostT.Length).View;
                }
                var stimuli = new StimulusPlan(spec, Seed, 1, _layout);
                var poisson = stimuli.Poisson.Where(p => p.Neurons.Length > 0).ToArray();
                var (sources, targets, owner) = PoissonParams.Batch(poisson, Seed);
                _poissonTicks = [.. poisson.Select(p => (p.StartTick, p.StopTick))];
                _poissonSources = Upload(sources);
                _poissonNeurons = Upload(targets);
                _poissonOwner = Upload(owner);
                _timedTicks = [.. stimuli.Events.Select(e => e.Tick)];
                _timed = Upload(stimuli.Events.Select(e => new CellInput((e.Channel * _ring.ChannelSize) + e.Neuron, e.Weight)).ToArray());
                _propagateConfig = new KernelConfig(_k.MaxGroups, _k.GroupSize);
                _preMinSpikes = options.PresynapticMinSpikes > 0 ? options.PresynapticMinSpikes : _k.MaxGroups * _k.GroupSize;
                _stream.Synchronize();
            }
            catch
            {
                // A build that fails (the device out of memory, or failing) gives back what it took, so a device that
                // keeps serving other shards does not lose the memory.
                foreach (var b in _buffers)
                {
                    b.Dispose();
                }

                _stream?.Dispose();
                _copyStream?.Dispose();
                throw;
            }
        }
    }

    /// <summary>The most populations a network on the device may have (each neuron's population is a byte there).</summary>
    public const int MaxPopulations = 256;

    /// <summary>Why the device kernels cannot run <paramref name="spec"/> (whole or as any shard of it), or null when they can.</summary>
    public static string? Unsupported(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Populations.Count > MaxPopulations)
        {
            return $"the network has {spec.Populations.Count} populations; the device keeps a byte per neuron for its population, so at most {MaxPopulations}";
        }

        if (spec.Projections.FirstOrDefault(p => p.Filter is not null) is { } filtered)
        {
            return $"projection '{filtered.Name}' has a dendritic filter (filters are host callbacks)";
        }

        return null;
    }

    /// <summary>Whether <paramref name="device"/> exists here (Auto: a CUDA or OpenCL device; the CPU emulator always does).</summary>
    public static bool IsPresent(IlgpuDevice device) => device switch
    {
        IlgpuDevice.Auto => DeviceHost.CudaPresent || DeviceHost.OpenClPresent,
        IlgpuDevice.Cuda => DeviceHost.CudaPresent,
        IlgpuDevice.OpenCL => DeviceHost.OpenClPresent,
        _ => true,
    };

    /// <summary>The accelerator the engine runs on (never <see cref="IlgpuDevice.Auto"/>).</summary>
    public IlgpuDevice Device => _host.Kind;

    /// <summary>The accelerator's name as ILGPU reports it.</summary>
    public string DeviceName => _host.Accelerator.Name;

    /// <summary>The seed in use (the spec's unless overridden).</summary>
    public ulong Seed { get; }

    /// <summary>The ticks run between two spike transfers.</summary>
    public int WindowTicks => _window;

    /// <summary>The fixed-point shift of the input rings (the same as CpuEngine's for the same spec).</summary>
    public int FixedPointShift => _layout.FixedShift;

    /// <inheritdoc />
    public int NeuronCount { get; }

    /// <inheritdoc />
    public long CurrentTick => _tick;

    /// <inheritdoc />
    public double Dt { get; }

    /// <inheritdoc />
    public string Description => $"IlgpuEngine on {Device}: {DeviceName}";

    /// <summary>Always 1: one host thread drives the device.</summary>
    public int Threads => 1;

    /// <inheritdoc />
    public long SynapseCount { get; }

    /// <summary>The spec the engine was built from.</summary>
    public NetworkSpec Spec => _spec;

    /// <inheritdoc />
    public EngineCounters Counters
    {
        get
        {
            var saturated = new long[2];
            lock (_host.Gate)
            {
                _counters.CopyToCPU(_stream, saturated);
                _stream.Synchronize();
            }

            return new EngineCounters(saturated[1], 0, saturated[0], 0);
        }
    }

    /// <summary>Frees the device buffers (the accelerator and its compiled kernels stay for other engines).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_host.Gate)
        {
            _stream.Synchronize();
            _copyStream.Synchronize();
            foreach (var b in _buffers)
            {
                b.Dispose();
            }

            foreach (var p in _pinned)
            {
                p.Dispose();
            }

            _remoteSpikes?.Dispose();
            _localSpikes?.Dispose();
            _replayMeta?.Dispose();
            _copyStream.Dispose();
            _stream.Dispose();
        }
    }

    private static Edge[] AllEdges(NetworkPlan plan, NeuronArrays layout)
    {
        // Dense projections become CSR rows too: CpuEngine sums their fixed-point weights per cell, the rings sum them per synapse; integers agree.
        var edges = plan.Edges.Concat(plan.DenseEdges.SelectMany(d => d.Edges)).ToArray();
        foreach (ref var e in edges.AsSpan())
        {
            e.Fixed = layout.Fixed(e.Weight);
        }

        return edges;
    }

    /// <summary>The device's plasticity state: rules, traces at zero, per-synapse rules and eligibility, the incoming lists.</summary>
    private PlasticViews PlasticState(RuleParams[] rules)
    {
        var n = rules.Length == 0 ? 0 : NeuronCount;
        return new PlasticViews
        {
            Rules = Upload(rules), Neurons = NeuronCount,
            PreX = Alloc<float>((long)rules.Length * n).View, PreT = Alloc<int>((long)rules.Length * n).View,
            PostY = Alloc<float>((long)rules.Length * n).View, PostT = Alloc<int>((long)rules.Length * n).View,
            Rule = rules.Length == 0 ? Alloc<int>(1).View : Upload(_csr.Rule), Weight = _csrViews.Weight,
            Elig = Alloc<float>(rules.Any(r => r.Reward != 0) ? _csr.Target.Length : 1).View,
            EligTick = Alloc<int>(rules.Any(r => r.Reward != 0) ? _csr.Target.Length : 1).View,
            InStart = Upload(_csr.InStart), InSyn = Upload(_csr.InSyn), InSource = Upload(_csr.InSource),
            Modulation = Alloc<float>(NeuronCount).View, Counters = _counters, ToFixed = _layout.ToFixed,
        };
    }

    private MemoryBuffer1D<T, Stride1D.Dense> Alloc<T>(long length)
        where T : unmanaged
    {
        var b = _host.Accelerator.Allocate1D<T>(Math.Max(1, length));
        b.View.MemSetToZero(_stream);
        _buffers.Add(b);
        return b;
    }

    private ArrayView<T> Upload<T>(T[] data)
        where T : unmanaged
    {
        var b = Alloc<T>(data.Length);
        if (data.Length > 0)
        {
            b.View.SubView(0, data.Length).CopyFromCPU(_stream, data);
        }

        return b.View;
    }
}
