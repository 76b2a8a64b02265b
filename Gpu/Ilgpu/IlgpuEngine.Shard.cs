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
/// STDP on synapses from remote sources is replayed there too, tick by tick, in CpuEngine's order: the rows of the tick's
/// remote spikes (depression by the post traces as they stood at that tick, from a copy taken as the window started), their
/// pre traces, then the potentiation of those synapses by the tick's local post spikes and the replayed post traces.
/// </summary>
public sealed partial class IlgpuEngine
{
    private readonly ShardWindowState? _shardWindow;
    private readonly List<long> _remote = [];
    private readonly bool _remotePlastic;
    private readonly PlasticViews _replayPlastic;
    private List<SpikeRecord> _windowLocal = [];
    private MemoryBuffer1D<int, Stride1D.Dense>? _remoteSpikes;
    private MemoryBuffer1D<int, Stride1D.Dense>? _localSpikes;
    private MemoryBuffer1D<int, Stride1D.Dense>? _replayMeta;
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
            if (_remotePlastic)
            {
                _plastic.PostY.CopyTo(_stream, _replayPlastic.PostY);
                _plastic.PostT.CopyTo(_stream, _replayPlastic.PostT);
            }

            RunTicks(ticks, records, []);
        }

        window.Began(first, ticks);
        if (_remotePlastic)
        {
            _windowLocal = records; // (tick, neuron) order, as RunTicks drains them
        }

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

    /// <summary>
    /// Sends the window's remote spikes, sorted by (tick, neuron), through their rows tick by tick and, when synapses from
    /// remote sources are plastic, replays their STDP with this window's local spikes (see the class summary). The
    /// per-tick ranges go up in one copy, so the replay costs launches only.
    /// </summary>
    private void ApplyRemote(ShardWindowState window)
    {
        // Without remote spikes there is still work when synapses from remote sources are plastic: this window's local post
        // spikes potentiate them by the presynaptic traces of earlier windows.
        if (_remote.Count == 0 && !_remotePlastic)
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

            // Per tick k of the window: (0, first, count) of its remote spikes, then of its local ones (a SpikeWindowViews' Meta).
            var ticks = (int)(window.LastTick - window.First + 1);
            var meta = new int[6 * ticks];
            for (int k = 0, a = 0, b = 0; k < ticks; k++)
            {
                var t = window.First + k;
                var (ra, lb) = (a, b);
                for (; a < _remote.Count && (_remote[a] >> 32) == t; a++)
                {
                }

                for (; _remotePlastic && b < _windowLocal.Count && _windowLocal[b].Tick == t; b++)
                {
                }

                (meta[6 * k], meta[(6 * k) + 1], meta[(6 * k) + 2]) = (0, ra, a - ra);
                (meta[(6 * k) + 3], meta[(6 * k) + 4], meta[(6 * k) + 5]) = (0, lb, b - lb);
            }

            lock (_host.Gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var remote = Stage(ref _remoteSpikes, [.. _remote.Select(r => (int)(r & 0xFFFFFFFF))]);
                var local = _remotePlastic ? Stage(ref _localSpikes, [.. _windowLocal.Select(r => r.Neuron)]) : remote;
                var ranges = Stage(ref _replayMeta, meta);
                for (var k = 0; k < ticks; k++)
                {
                    var t = (int)(window.First + k);
                    if (meta[(6 * k) + 2] > 0)
                    {
                        var view = new SpikeWindowViews { Spikes = remote, Meta = ranges.SubView(6 * k, 3), TickCounts = _windows[1].TickCounts };
                        if (!_remotePlastic)
                        {
                            _k.Propagate(_stream, _propagateConfig, default, view, _csrViews, _ring, t, _preMinSpikes);
                        }
                        else
                        {
                            _k.PropagatePlastic(_stream, _propagateConfig, new PlasticDelivery(_replayPlastic), view, _csrViews, _ring, t, _preMinSpikes);
                            _k.BumpPre(_stream, _k.For(meta[(6 * k) + 2]), view, _plastic, t);
                        }
                    }

                    if (_remotePlastic && meta[(6 * k) + 5] > 0)
                    {
                        var view = new SpikeWindowViews { Spikes = local, Meta = ranges.SubView((6 * k) + 3, 3), TickCounts = _windows[1].TickCounts };
                        _k.PostRemote(_stream, _k.For(meta[(6 * k) + 5]), view, _replayPlastic, t, _lo, _hi);
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

    /// <summary>Copies <paramref name="data"/> into <paramref name="buffer"/> (grown when too small) and returns the buffer's view (the caller holds the gate).</summary>
    private ArrayView<int> Stage(ref MemoryBuffer1D<int, Stride1D.Dense>? buffer, int[] data)
    {
        if (buffer is null || buffer.Length < data.Length)
        {
            buffer?.Dispose();
            buffer = _host.Accelerator.Allocate1D<int>(Math.Max(1024, data.Length * 2L));
        }

        if (data.Length > 0)
        {
            buffer.View.SubView(0, data.Length).CopyFromCPU(_stream, data);
        }

        return buffer.View;
    }
}
