using System.Runtime.CompilerServices;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// Shards: an engine that owns the neurons [lo, hi) of a <see cref="ShardPlan"/> runs windows of at most D ticks and,
/// before each window, applies the other shards' spikes of the previous one. A remote spike from j at tick t goes
/// through j's row exactly as a local one would have in tick t (its input lands in the ring slot of t + delay, which no
/// update has read yet because delay + 1 ≥ D), and STDP on synapses from remote sources is replayed tick by tick
/// against the postsynaptic traces as they stood in the window, so weights and spike trains stay bit-identical.
/// </summary>
public sealed partial class CpuEngine
{
    private readonly ShardAssignment? _shard;
    private readonly int _lo;
    private readonly int _hi;
    private readonly List<long> _remote = [];
    private ShardWindowState? _window;
    private long[] _windowLocal = [];
    private bool _remotePlastic;
    private float[][] _postY0 = [];
    private int[][] _postT0 = [];
    private bool _replaying;

    /// <summary>The shard this engine simulates, or null when it simulates the whole network.</summary>
    public ShardAssignment? Shard => _shard;

    /// <summary>The windows run so far (sharded engines only).</summary>
    public long WindowsRun => (_window?.Index ?? -1) + 1;

    /// <summary>
    /// True when the next window may start: no window has run yet, or every other shard has ended the last one (their
    /// spikes are applied). Sharded engines only.
    /// </summary>
    public bool PeersComplete => _window?.PeersComplete ?? true;

    /// <summary>The last tick of the window run last (-1 before the first).</summary>
    public long WindowLastTick => _window?.LastTick ?? -1;

    /// <summary>Remote spikes taken for the last window and not applied yet (some peer has not ended it).</summary>
    public int RemotePending => _remote.Count;

    /// <summary>The shards whose end of the last window has not arrived.</summary>
    public IReadOnlyList<int> MissingPeers() => _window?.MissingPeers() ?? [];

    /// <summary>Runs a window of <see cref="ShardPlan.WindowTicks"/> ticks; see <see cref="RunWindow(int)"/>.</summary>
    public ShardWindow RunWindow() => RunWindow(_shard?.Plan.WindowTicks ?? 0);

    /// <summary>
    /// Checks that every other shard has ended the previous window, then runs <paramref name="ticks"/> ticks and returns the
    /// spikes of this shard's neurons, which every other shard must receive through <see cref="IngestRemote"/> before it
    /// starts its next window. A shorter window than <see cref="ShardPlan.WindowTicks"/> (for the end of a run) is exact too.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The engine is not sharded, or some shard has not sent its end of the previous window (a frame was lost or
    /// rejected): the run stops here rather than diverge, and may continue once the missing spikes arrive.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticks"/> is outside [1, <see cref="ShardPlan.WindowTicks"/>].</exception>
    public ShardWindow RunWindow(int ticks)
    {
        var window = _window ?? throw new InvalidOperationException("RunWindow needs a sharded engine: set EngineOptions.Shard (ShardPlan.For(k))");
        window.CheckStart(ticks, _tick);
        SnapshotPostTraces();
        foreach (var w in _workers)
        {
            w.Records.Clear();
        }

        var first = _tick;
        RunTicks(ticks);
        var keys = SortedSpikeKeys();
        var total = keys.Length;
        _windowLocal = keys;
        window.Began(first, ticks);
        var spikes = new Spike[total];
        for (var i = 0; i < total; i++)
        {
            spikes[i] = Spike.Create((uint)(keys[i] & 0xFFFFFFFF), Spike.BroadcastTarget, SpikeType.Excitatory, (uint)(keys[i] >> 32));
        }

        return new ShardWindow(window.Shard.Index, window.Index, first, ticks, spikes);
    }

    /// <summary>
    /// Takes spikes that shard <paramref name="fromShard"/> fired in the window this engine ran last (its
    /// <see cref="ShardWindow.Spikes"/>, whole or in parts); <paramref name="endOfWindow"/> marks its last part. They are
    /// applied together when the last peer's end of window arrives, so the order in which peers arrive does not matter;
    /// from then on weights (<see cref="TryGetWeight"/>) include the window's plasticity.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine is not sharded, no window has run, or that shard already ended this window.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromShard"/> is not another shard of the plan.</exception>
    /// <exception cref="ArgumentException">A spike's source is not a neuron of that shard, or its tick is outside the window (nothing is taken).</exception>
    public void IngestRemote(int fromShard, ReadOnlySpan<Spike> spikes, bool endOfWindow = true)
    {
        var window = _window ?? throw new InvalidOperationException("IngestRemote needs a sharded engine: set EngineOptions.Shard (ShardPlan.For(k))");
        window.CheckIngest(fromShard, spikes);
        foreach (ref readonly var s in spikes)
        {
            _remote.Add(((long)s.Tick << 32) | s.Source);
        }

        if (window.Ended(fromShard, endOfWindow))
        {
            ApplyRemote();
        }
    }

    internal static ShardAssignment? CheckShard(NetworkSpec spec, ulong seed, ShardAssignment? shard)
    {
        if (shard is null)
        {
            return null;
        }

        if (shard.Plan.Seed != seed)
        {
            throw new ArgumentException($"the shard plan was made with seed {shard.Plan.Seed} but the engine uses {seed}; pass the same EngineOptions.Seed to ShardPlan.Create", nameof(shard));
        }

        if (!ReferenceEquals(shard.Plan.Spec, spec) && shard.Plan.Spec.ToJson() != spec.ToJson())
        {
            throw new ArgumentException("the shard plan was made for another spec; build it from the spec the engines run", nameof(shard));
        }

        _ = shard.Plan.Lo(shard.Index);
        return shard;
    }

    private void ThrowIfSharded([CallerMemberName] string caller = "")
    {
        if (_shard is not null)
        {
            throw new InvalidOperationException($"{caller} is not available on a sharded engine (shard {_shard.Index} of {_shard.Plan.ShardCount}); use RunWindow and IngestRemote");
        }
    }

    private void InitialiseShard()
    {
        if (_shard is null)
        {
            return;
        }

        _window = new ShardWindowState(_shard);
        _remotePlastic = _parts.Any(p => p.In?.Any(e => e.Source < _lo || e.Source >= _hi) == true);
        if (_remotePlastic)
        {
            _postY0 = [.. _rules.Select(_ => new float[_hi - _lo])];
            _postT0 = [.. _rules.Select(_ => new int[_hi - _lo])];
        }
    }

    /// <summary>The postsynaptic traces of this shard's neurons as the window starts, for replaying STDP on remote sources.</summary>
    private void SnapshotPostTraces()
    {
        if (!_remotePlastic)
        {
            return;
        }

        for (var r = 0; r < _rules.Length; r++)
        {
            _rules[r].PostY.AsSpan(_lo, _hi - _lo).CopyTo(_postY0[r]);
            _rules[r].PostT.AsSpan(_lo, _hi - _lo).CopyTo(_postT0[r]);
        }
    }

    /// <summary>
    /// Replays the previous window's remote spikes, tick by tick, in the order one engine would have processed them:
    /// the rows of the tick's spikes (input, then depression by the post trace before this tick's post spikes), the
    /// presynaptic trace bumps, potentiation of the synapses from remote sources onto this tick's local post spikes, and
    /// the post trace bumps. Integer input sums do not depend on order; weights follow each synapse's own event order.
    /// </summary>
    private void ApplyRemote()
    {
        // Without remote spikes there is still work when synapses from remote sources are plastic: this window's local post
        // spikes potentiate them by the presynaptic traces of earlier windows.
        if (_remote.Count == 0 && !_remotePlastic)
        {
            return;
        }

        _remote.Sort();
        for (var i = 1; i < _remote.Count; i++)
        {
            if (_remote[i] == _remote[i - 1])
            {
                _remote.Clear();
                throw new InvalidOperationException($"neuron {_remote[i] & 0xFFFFFFFF} fired twice in tick {_remote[i] >> 32} of the remote spikes; a duplicated batch");
            }
        }

        _replaying = _remotePlastic;
        try
        {
            var a = 0;
            var b = 0;
            for (var t = (int)_window!.First; t <= _window.LastTick; t++)
            {
                var start = a;
                for (; a < _remote.Count && (_remote[a] >> 32) == t; a++)
                {
                    DeliverRemote((int)(_remote[a] & 0xFFFFFFFF), t);
                }

                if (!_remotePlastic)
                {
                    continue;
                }

                for (var k = start; k < a; k++)
                {
                    BumpRemotePre((int)(_remote[k] & 0xFFFFFFFF), t);
                }

                for (; b < _windowLocal.Length && (_windowLocal[b] >> 32) == t; b++)
                {
                    PotentiateFromRemote((int)(_windowLocal[b] & 0xFFFFFFFF), t);
                }
            }
        }
        finally
        {
            _replaying = false;
            _remote.Clear();
        }
    }

    private void DeliverRemote(int j, int t)
    {
        for (var w = 0; w < Threads; w++)
        {
            DeliverRow(w, _parts[w], j, t, in Unsafe.NullRef<Spike>(), isExternal: false);
        }

        foreach (var d in _dense)
        {
            d.Deliver(j, _lo, _hi, _state.Acc[d.Channel], _state.SlotOffset(t + d.Delay));
        }
    }

    private void BumpRemotePre(int j, int t)
    {
        foreach (var rule in _rules)
        {
            if (j >= rule.SrcStart && j < rule.SrcEnd)
            {
                for (var w = 0; w < Threads; w++)
                {
                    rule.BumpPre(w, j, t);
                }
            }
        }
    }

    private void PotentiateFromRemote(int i, int t)
    {
        var w = 0;
        while (i >= _bounds[w + 1])
        {
            w++;
        }

        var part = _parts[w];
        if (part.In is not null && part.InStart is not null)
        {
            for (var e = part.InStart[i - part.Lo]; e < part.InStart[i - part.Lo + 1]; e++)
            {
                var source = part.In[e].Source;
                if (source < _lo || source >= _hi)
                {
                    var rule = _rules[part.In[e].Plastic];
                    Change(w, part, rule, part.In[e].Syn, rule.APlus * rule.Pre(w, source, t), t);
                }
            }
        }

        for (var r = 0; r < _rules.Length; r++)
        {
            _postY0[r][i - _lo] = (float)(ReplayPost(r, i, t) + 1);
            _postT0[r][i - _lo] = t;
        }
    }

    /// <summary>Rule <paramref name="r"/>'s post trace of neuron <paramref name="i"/> at tick <paramref name="t"/> of the replayed window (same arithmetic as <see cref="PlasticRule.Post"/>).</summary>
    private double ReplayPost(int r, int i, int t) => _rules[r].PostFrom(_postY0[r][i - _lo], _postT0[r][i - _lo], t);

    /// <summary>True when synapses from <paramref name="source"/> are replayed after the window instead of updated in it.</summary>
    private bool IsRemote(int source) => source < _lo || source >= _hi;
}
