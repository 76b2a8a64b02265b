using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using NeuroMesh.Engine.Kernels;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>
/// Shards on the device: an engine built with <see cref="IlgpuEngineOptions.Shard"/> updates only its neurons [lo, hi),
/// holds only the synapses onto them, and runs windows of at most D ticks. The other shards' spikes of a window are
/// uploaded once every peer has ended it, and go through their sources' rows tick by tick into the ring slots of
/// tick + delay, which no update has read yet (delay + 1 ≥ D), exactly as <see cref="Cpu.CpuEngine"/> applies them.
/// Plastic synapses from remote sources are not supported here (<see cref="Unsupported"/> says so).
/// </summary>
public sealed partial class IlgpuEngine
{
    private readonly ShardWindowState? _shardWindow;
    private readonly List<long> _remote = [];
    private MemoryBuffer1D<int, Stride1D.Dense>? _remoteSpikes;
    private int[]? _weightBaseline;

    /// <summary>The shard this engine simulates, or null when it simulates the whole network.</summary>
    public ShardAssignment? Shard => _shard;

    /// <inheritdoc />
    public long WindowsRun => (_shardWindow?.Index ?? -1) + 1;

    /// <inheritdoc />
    public bool PeersComplete => _shardWindow?.PeersComplete ?? true;

    /// <inheritdoc />
    public long WindowLastTick => _shardWindow?.LastTick ?? -1;

    /// <inheritdoc />
    public int RemotePending => _remote.Count;

    /// <inheritdoc />
    public IReadOnlyList<int> MissingPeers() => _shardWindow?.MissingPeers() ?? [];

    /// <summary>
    /// Checks that every other shard has ended the previous window, then runs <paramref name="ticks"/> ticks and returns
    /// this shard's spikes, in (tick, neuron) order, for every other shard's <see cref="IngestRemote"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine is not sharded, or some shard has not ended the previous window.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticks"/> is outside [1, <see cref="ShardPlan.WindowTicks"/>].</exception>
    public ShardWindow RunWindow(int ticks)
    {
        var window = _shardWindow ?? throw new InvalidOperationException("RunWindow needs a sharded engine: set IlgpuEngineOptions.Shard (ShardPlan.For(k))");
        window.CheckStart(ticks, _tick);
        var first = _tick;
        var records = new List<SpikeRecord>();
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Flush();
            RunTicks(ticks, records, []);
        }

        window.Began(first, ticks);
        var spikes = new Spike[records.Count];
        for (var i = 0; i < spikes.Length; i++)
        {
            spikes[i] = Spike.Create((uint)records[i].Neuron, Spike.BroadcastTarget, SpikeType.Excitatory, (uint)records[i].Tick);
        }

        return new ShardWindow(window.Shard.Index, window.Index, first, ticks, spikes);
    }

    /// <summary>
    /// Takes spikes that shard <paramref name="fromShard"/> fired in the window this engine ran last; they are applied
    /// together when the last peer's end of window arrives.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine is not sharded, no window has run, or that shard already ended this window.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromShard"/> is not another shard of the plan.</exception>
    /// <exception cref="ArgumentException">A spike's source is not a neuron of that shard, or its tick is outside the window (nothing is taken).</exception>
    public void IngestRemote(int fromShard, ReadOnlySpan<Spike> spikes, bool endOfWindow = true)
    {
        var window = _shardWindow ?? throw new InvalidOperationException("IngestRemote needs a sharded engine: set IlgpuEngineOptions.Shard (ShardPlan.For(k))");
        window.CheckIngest(fromShard, spikes);
        foreach (ref readonly var s in spikes)
        {
            _remote.Add(((long)s.Tick << 32) | s.Source);
        }

        if (window.Ended(fromShard, endOfWindow))
        {
            ApplyRemote(window);
        }
    }

    /// <summary>The plastic synapses onto this engine's neurons whose weight changed since the previous call, in CpuEngine's format.</summary>
    public PlasticWeightDiff DiffPlasticWeights()
    {
        var weights = DeviceWeights();
        _weightBaseline ??= [.. _csr.InSyn.Select(k => _csr.Weight[k])];
        List<int> targets = [], slots = [], sources = [], changed = [];
        for (var i = _lo; i < _hi; i++)
        {
            for (var e = _csr.InStart[i]; e < _csr.InStart[i + 1]; e++)
            {
                var weight = weights[_csr.InSyn[e]];
                if (weight != _weightBaseline[e])
                {
                    _weightBaseline[e] = weight;
                    targets.Add(i);
                    slots.Add(e - _csr.InStart[i]);
                    sources.Add(_csr.InSource[e]);
                    changed.Add(weight);
                }
            }
        }

        return new PlasticWeightDiff([.. targets], [.. slots], [.. sources], [.. changed], _layout.FixedShift);
    }

    /// <summary>Up to <paramref name="max"/> weights (model units), evenly strided over the plastic synapses when there are any, otherwise over all.</summary>
    public (long Eligible, bool Plastic, double[] Weights) SampleWeights(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var weights = DeviceWeights();
        int[] eligible = _hasRules ? [.. Enumerable.Range(0, _csr.Rule.Length).Where(k => _csr.Rule[k] >= 0)] : [];
        var count = _hasRules ? eligible.Length : weights.Length;
        var take = Math.Min(max, count);
        var sample = new double[take];
        for (var f = 0; f < take; f++)
        {
            var at = (int)((long)f * count / take);
            sample[f] = weights[_hasRules ? eligible[at] : at] * (double)_layout.Scale;
        }

        return (count, _hasRules, sample);
    }

    private void ThrowIfSharded([CallerMemberName] string caller = "")
    {
        if (_shard is not null)
        {
            throw new InvalidOperationException($"{caller} is not available on a sharded engine (shard {_shard.Index} of {_shard.Plan.ShardCount}); use RunWindow and IngestRemote");
        }
    }

    /// <summary>The fixed-point weights as they stand on the device (the host copy when nothing is plastic).</summary>
    private int[] DeviceWeights()
    {
        if (!_hasRules)
        {
            return _csr.Weight;
        }

        var weights = new int[_csr.Weight.Length];
        lock (_host.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (weights.Length > 0)
            {
                _csrViews.Weight.SubView(0, weights.Length).CopyToCPU(_stream, weights);
            }

            _stream.Synchronize();
        }

        return weights;
    }

    /// <summary>Sends the window's remote spikes, sorted by (tick, neuron), through their rows tick by tick.</summary>
    private void ApplyRemote(ShardWindowState window)
    {
        if (_remote.Count == 0)
        {
            return;
        }

        _remote.Sort();
        try
        {
            for (var i = 1; i < _remote.Count; i++)
            {
                if (_remote[i] == _remote[i - 1])
                {
                    throw new InvalidOperationException($"neuron {_remote[i] & 0xFFFFFFFF} fired twice in tick {_remote[i] >> 32} of the remote spikes; a duplicated batch");
                }
            }

            var sources = _remote.Select(r => (int)(r & 0xFFFFFFFF)).ToArray();
            lock (_host.Gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_remoteSpikes is null || _remoteSpikes.Length < sources.Length)
                {
                    _remoteSpikes?.Dispose();
                    _remoteSpikes = _host.Accelerator.Allocate1D<int>(Math.Max(1024, sources.Length * 2L));
                }

                _remoteSpikes.View.SubView(0, sources.Length).CopyFromCPU(_stream, sources);
                var meta = _windows[1].Meta; // free between windows: Run and RunWindow have drained both buffers
                var view = new SpikeWindowViews { Spikes = _remoteSpikes.View, Meta = meta, TickCounts = _windows[1].TickCounts };
                for (int a = 0, t = (int)window.First; t <= window.LastTick; t++)
                {
                    var start = a;
                    for (; a < _remote.Count && (_remote[a] >> 32) == t; a++)
                    {
                    }

                    if (a > start)
                    {
                        meta.SubView(0, 3).CopyFromCPU(_stream, new[] { 0, start, a - start });
                        _k.Propagate(_stream, _propagateConfig, default, view, _csrViews, _ring, t, _preMinSpikes);
                    }
                }

                _stream.Synchronize();
            }
        }
        finally
        {
            _remote.Clear();
        }
    }
}
