using System.Diagnostics;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Network;
using NeuroMesh.Synapses;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// The CPU propagation engine: structure-of-arrays LIF state updated with SIMD, synapses in per-thread CSR
/// partitions (each worker owns a range of target neurons and every synapse onto them), fixed-point input
/// rings, counter-based random numbers, and persistent workers that meet at a spin barrier once per tick.
/// The spike trains are bit-identical for any thread count.
/// </summary>
public sealed partial class CpuEngine : IPropagationEngine, IShardEngine
{
    private readonly NetworkSpec _spec;
    private readonly ulong _seed;
    private readonly int[] _bounds;
    private readonly NeuronArrays _state;
    private readonly PopulationKernel[] _kernels;
    private readonly DenseBlock[] _dense;
    private readonly PlasticRule[] _rules;
    private readonly List<DendriticFilter?> _filters;
    private readonly StimulusPlan _stimuli;
    private readonly double[] _inBound;
    private readonly int _maxDelay;
    private readonly bool _hasModulation;
    private readonly bool _adaptive;
    private SparsePartition[] _parts;
    private long _tick;
    private long _removed;

    /// <summary>Builds the network a spec describes (the spec is validated first).</summary>
    /// <exception cref="NetworkSpecException">The spec is invalid.</exception>
    /// <exception cref="KeyNotFoundException">A custom filter is not registered in <see cref="EngineOptions.Filters"/>.</exception>
    public CpuEngine(NetworkSpec spec, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        NetworkSpecValidator.ThrowIfInvalid(spec);
        options ??= new EngineOptions();
        if (options.Threads < 0 || options.MaxDelayTicks is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Threads must be >= 0 and MaxDelayTicks in [0, 65535]");
        }

        _spec = spec;
        _seed = options.Seed ?? spec.Seed;
        NeuronCount = spec.NeuronCount;
        Dt = spec.Dt;
        _shard = CheckShard(spec, _seed, options.Shard);
        (_lo, _hi) = _shard is null ? (0, NeuronCount) : (_shard.Plan.Lo(_shard.Index), _shard.Plan.Hi(_shard.Index));
        Threads = options.Threads > 0 ? options.Threads : AutoThreads(_hi - _lo);
        _adaptive = options.AdaptiveParallelism;
        _bounds = Partition(_lo, _hi, Threads);
        var plan = _shard is null
            ? new NetworkPlan(spec, _seed, options.Filters)
            : new NetworkPlan(spec, _seed, options.Filters, _lo, _hi, _shard.Plan.FixedPointShift);
        _maxDelay = Math.Max(plan.MaxDelay, options.MaxDelayTicks);
        _state = new NeuronArrays(NeuronCount, _maxDelay + 1, plan.FixedShift);
        _filters = plan.Filters;
        _inBound = plan.InBound;
        _hasModulation = spec.Projections.Any(p => p.Channel == SynapseChannels.Modulatory) || spec.Stimuli.Any(s => s.Channel == SynapseChannels.Modulatory)
            || spec.Projections.Any(p => p.Plasticity?.Kind == PlasticityKinds.RStdp);
        var offsets = spec.PopulationOffsets();
        _kernels = [.. spec.Populations.Select((p, i) => new PopulationKernel(p, offsets[i], Dt)).Where(k => k.End > k.Start)];
        _rules = [.. plan.PlasticSpecs.Select(p => new PlasticRule(p.Spec, p.SrcStart, p.SrcEnd, Threads, NeuronCount, Dt, _state))];
        foreach (ref var e in plan.Edges.AsSpan())
        {
            e.Fixed = _state.Fixed(e.Weight);
        }

        _parts = PartitionBuilder.Build(plan.Edges, plan.Edges.Length, _bounds, NeuronCount, [.. _rules.Select(r => r.Reward)]);
        CaptureWeightBaseline();
        _dense = [.. plan.DenseEdges.Select(d => BuildDense(spec, d.Spec, d.Edges))];
        _stimuli = new StimulusPlan(spec, _seed, Threads, _state);
        SpikeMonitors.InitialPotentials(spec, _seed, _state.V, _lo, _hi);
        _workers = new WorkerSlot[Threads];
        for (var w = 0; w < Threads; w++)
        {
            _workers[w] = new WorkerSlot(_bounds[w + 1] - _bounds[w]);
        }

        _barrier = new SpinBarrier(Threads);
        InitialiseShard();
        StartWorkers();
    }

    /// <summary>Builds the network from a spec file.</summary>
    public static CpuEngine FromFile(string path, EngineOptions? options = null) => new(NetworkSpec.Load(path), options);

    /// <inheritdoc />
    public int NeuronCount { get; }

    /// <inheritdoc />
    public long CurrentTick => _tick;

    /// <inheritdoc />
    public double Dt { get; }

    /// <inheritdoc />
    public int Threads { get; }

    /// <summary>The spec the engine was built from.</summary>
    public NetworkSpec Spec => _spec;

    /// <inheritdoc />
    public string Description => $"CpuEngine, {Threads} thread(s)";

    /// <summary>The fixed-point shift of the input accumulators (one unit is 2^-shift model units).</summary>
    public int FixedPointShift => _state.FixedShift;

    /// <inheritdoc />
    public long SynapseCount => _parts.Sum(p => (long)p.Targets.Length) + _dense.Sum(d => (long)d.W.Count(w => w != 0)) - _removed + _pendingAdds.Count;

    /// <summary>Bytes of sparse synapse storage per synapse (targets, weights and filter ids; not the row index).</summary>
    public double SparseBytesPerSynapse
    {
        get
        {
            long synapses = _parts.Sum(p => p.Targets.Length);
            long bytes = _parts.Sum(p => (p.Targets.Length * 8L) + (p.Filters?.Length * 2L ?? 0));
            return synapses == 0 ? 0 : bytes / (double)synapses;
        }
    }

    /// <summary>The fraction of 256-tick windows so far that ran on all threads (the rest ran serially; see <see cref="EngineOptions.AdaptiveParallelism"/>).</summary>
    public double ParallelWindowFraction => _windows == 0 ? 0 : _parallelWindows / (double)_windows;

    /// <inheritdoc />
    public EngineCounters Counters => new(
        _workers.Sum(w => w.Clipped), _workers.Sum(w => w.Filtered), _saturated, _dropped);

    /// <summary>Runs the spec's whole duration from the current tick.</summary>
    public RunResult Run() => Run(_spec.TotalTicks);

    /// <inheritdoc />
    public RunResult Run(long ticks)
    {
        ThrowIfSharded();
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        if (_tick + ticks >= int.MaxValue - 65536)
        {
            throw new InvalidOperationException("the engine counts ticks in 31 bits; this run would pass that limit");
        }

        var start = _tick;
        foreach (var w in _workers)
        {
            w.Records.Clear();
        }

        var traces = PrepareTraces(start, ticks);
        var clock = Stopwatch.StartNew();
        RunTicks(ticks);
        clock.Stop();
        var keys = SortedSpikeKeys();
        var total = keys.Length;
        var spikes = new SpikeRecord[total];
        for (var i = 0; i < total; i++)
        {
            spikes[i] = new SpikeRecord(keys[i] >> 32, (int)(keys[i] & 0xFFFFFFFF));
        }

        return new RunResult(start, ticks, Dt, NeuronCount, Threads, spikes, SpikeTrainHash.Of(spikes), clock.Elapsed,
            [.. traces.Select(t => t.ToTrace())])
        {
            MonitoredSpikes = SpikeMonitors.Select(_spec, spikes),
        };
    }

    /// <inheritdoc />
    public ReadOnlySpan<int> Step()
    {
        ThrowIfSharded();
        RunTicks(1);
        var parity = (int)((_tick - 1) & 1);
        var n = 0;
        foreach (var w in _workers)
        {
            w.Fired[parity].AsSpan(0, w.FiredCount[parity]).CopyTo(_stepBuffer.AsSpan(n));
            n += w.FiredCount[parity];
        }

        var result = _stepBuffer.AsSpan(0, n);
        result.Sort();
        return result;
    }

    /// <inheritdoc />
    public float[] ReadState(string variable) => variable switch
    {
        "v" => (float[])_state.V.Clone(),
        "ge" => (float[])_state.Ge.Clone(),
        "gi" => (float[])_state.Gi.Clone(),
        _ => throw new ArgumentException($"unknown state variable '{variable}'; expected v, ge or gi", nameof(variable)),
    };

    /// <summary>Picks the thread count by size: below ~20k neurons a tick is a few microseconds, less than the cost of meeting other threads.</summary>
    private static int AutoThreads(int neurons) => neurons >= 20_000 ? Environment.ProcessorCount : 1;

    /// <summary>Splits the engine's neurons [lo, hi) (all of them, or its shard's) among the workers, in steps of 16.</summary>
    private static int[] Partition(int lo, int hi, int workers)
    {
        var neurons = hi - lo;
        var bounds = new int[workers + 1];
        bounds[0] = lo;
        for (var w = 1; w < workers; w++)
        {
            bounds[w] = lo + Math.Min(neurons, (int)((long)neurons * w / workers) & ~15);
        }

        bounds[workers] = hi;
        return bounds;
    }

    private DenseBlock BuildDense(NetworkSpec spec, ProjectionSpec p, List<Edge> edges)
    {
        var offsets = spec.PopulationOffsets();
        int src = spec.IndexOfPopulation(p.Source), tgt = spec.IndexOfPopulation(p.Target);
        var block = new DenseBlock
        {
            SrcStart = offsets[src], SrcCount = spec.Populations[src].Size, TgtStart = offsets[tgt], TgtCount = spec.Populations[tgt].Size,
            Delay = edges.Count > 0 ? edges[0].Delay : 0, Channel = (byte)SynapseChannels.All.ToList().IndexOf(p.Channel),
            W = new int[spec.Populations[src].Size * spec.Populations[tgt].Size],
        };
        foreach (var e in edges)
        {
            block.W[((e.Source - block.SrcStart) * block.TgtCount) + e.Target - block.TgtStart] += _state.Fixed(e.Weight);
        }

        return block;
    }

    /// <summary>The spikes every worker recorded since they were cleared, as sorted (tick &lt;&lt; 32 | neuron) keys.</summary>
    private long[] SortedSpikeKeys()
    {
        var keys = new long[_workers.Sum(w => w.Records.Count)];
        var at = 0;
        foreach (var w in _workers)
        {
            w.Records.CopyTo(keys, at);
            at += w.Records.Count;
        }

        Array.Sort(keys);
        return keys;
    }
}
