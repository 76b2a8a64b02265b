using System.Diagnostics;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using NeuroMesh.Cluster;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Placement;
using NeuroMesh.Snapshots;
using NeuroMesh.Telemetry;
using Orleans.Placement;
using Orleans.Streams;

namespace NeuroMesh.Simulation;

/// <summary>
/// A shard of a lockstep run on the silo its key names (<see cref="SiloPinnedPlacement"/>; immovable, because its engine
/// and its channel live on that silo). Each window: wait until every peer's end-of-window marker for the previous window
/// has arrived (frames come in through the silo's <see cref="FabricIngressGrain"/> and this shard's channel), apply the
/// peers' spikes, run the window on the shard's engine (built by the silo's <see cref="GpuWorker"/>: on the device or on
/// CpuEngine), and send each peer, as spike frames, the spikes of its neurons with a synapse on that peer, the last frame
/// carrying the end-of-window flag (<see cref="CrossSiloTransport"/> says how frames reach the peer's silo).
/// </summary>
/// <remarks>
/// Frames may arrive at any time from the ingress grain's turns; they queue in a concurrent inbox and are applied only in
/// this grain's turns. A frame of the next window (a faster peer) is held back until this shard has run that window.
/// Rejected frames deliver nothing and are counted; the missing end of window then stops the run with a timeout that names
/// the silent peers instead of letting it diverge.
/// </remarks>
[SiloPinnedPlacement]
[Immovable]
public sealed class RegionShardGrain(FabricIngressRouter router, IOptions<MeshClusterOptions> options, IOptions<SnapshotOptions> snapshots, SiloMetrics metrics, GpuWorker gpu) : Grain, IRegionShardGrain, ISpikeBatchSink
{
    private readonly ConcurrentQueue<byte[]> _inbox = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly List<byte[]> _deferred = [];
    private ShardSetup? _setup;
    private IShardEngine? _engine;
    private ShardFrameIngress? _ingress;
    private IDisposable? _registration;
    private Peer[] _peers = [];
    private long[] _spikesSentTo = [];
    private CrossSiloTransport _transport;
    private long _tick;
    private long _framesSent;
    private long _waitTicks;
    private long _computeTicks;
    private long _sendTicks;
    private long _spikesSent;
    private readonly ExchangeHistogram _exchange = new();
    private long _turnStarted;
    private (long FramesSent, long SpikesSent, long FramesReceived, long SpikesReceived, long FramesRejected) _reported;
    private (long Tick, Task<byte[]> Encoding)? _export;

    /// <summary>How long a shard's windows may run in one grain turn before it yields the thread (see Advance).</summary>
    private static readonly TimeSpan MaxTurn = TimeSpan.FromMilliseconds(2);

    /// <summary>The channel on which shard <paramref name="index"/> of a run's epoch receives its peers' frames.</summary>
    public static string Channel(string runId, string epoch, int index) => $"run/{runId}/{epoch}/{index}";

    /// <summary>The key of shard <paramref name="index"/> of a run's epoch on <paramref name="siloKey"/>.</summary>
    public static string Key(string siloKey, string runId, string epoch, int index) => $"{siloKey}/{runId}/{epoch}/{index}";

    /// <inheritdoc />
    public Task<ShardInfo> Prepare(ShardSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (_engine is not null)
        {
            throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is already prepared");
        }

        if ((uint)setup.Index >= (uint)setup.SiloKeys.Count)
        {
            throw new ArgumentException($"shard index {setup.Index} is outside [0, {setup.SiloKeys.Count})", nameof(setup));
        }

        var expected = Key(setup.SiloKeys[setup.Index], setup.RunId, setup.Epoch, setup.Index);
        if (expected != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"setup for {expected} sent to shard {this.GetPrimaryKeyString()}", nameof(setup));
        }

        var spec = NetworkSpec.Parse(setup.SpecJson);
        var engineOptions = new EngineOptions { Threads = options.Value.EngineThreads };
        var plan = ShardPlan.Create(spec, setup.SiloKeys.Count, engineOptions);
        var engine = gpu.Create(spec, engineOptions, plan.For(setup.Index));
        var provider = this.GetStreamProvider(SpikeStreams.ProviderName);
        _peers = [.. Enumerable.Range(0, setup.SiloKeys.Count)
            .Where(j => j != setup.Index)
            .Select(j => new Peer(j, setup.SiloKeys[j], Channel(setup.RunId, setup.Epoch, j), SpikeStreams.Open(provider, setup.SiloKeys[j]),
                GrainFactory.GetGrain<IFabricIngressGrain>(setup.SiloKeys[j]), new ShardFrameEncoder(setup.Index)))];
        _spikesSentTo = new long[setup.SiloKeys.Count];
        _transport = options.Value.LockstepTransport;
        _registration = router.Register(Channel(setup.RunId, setup.Epoch, setup.Index), this);
        (_setup, _engine, _ingress, _tick) = (setup, engine, new ShardFrameIngress(engine), 0);
        this.DelayDeactivation(TimeSpan.FromDays(1));
        metrics.AddShards(1);
        return Task.FromResult(Info());
    }

    /// <inheritdoc />
    public async Task<ShardAdvance> Advance(long fromTick, long ticks, IReadOnlyList<ExternalInput> inputs)
    {
        var engine = _engine ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is not prepared (it was released or its activation was lost)");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticks);
        if (fromTick != _tick)
        {
            throw new InvalidOperationException($"shard {_setup!.Index} of run '{_setup.RunId}' is at tick {_tick}, not {fromTick}");
        }

        ArgumentNullException.ThrowIfNull(inputs);
        var window = engine.Shard!.Plan.WindowTicks;
        int lo = engine.Shard.Plan.Lo(engine.Shard.Index), hi = engine.Shard.Plan.Hi(engine.Shard.Index);
        var local = hi - lo;
        var schedule = inputs.Where(i => i.Tick >= fromTick && i.Tick < fromTick + ticks).OrderBy(i => i.Tick).ToArray();
        var next = 0;
        var spikes = new List<long>();
        var sending = Task.CompletedTask;
        _turnStarted = Stopwatch.GetTimestamp();
        for (long done = 0; done < ticks;)
        {
            var t0 = Stopwatch.GetTimestamp();
            await AwaitPeersAsync(engine);
            var n = (int)Math.Min(window, ticks - done);

            // Inputs act in the update of their tick: apply those of this tick, and end the window before the next one,
            // which every shard does alike since they all get the same schedule.
            for (; next < schedule.Length && schedule[next].Tick == _tick; next++)
            {
                if (schedule[next].Neuron >= lo && schedule[next].Neuron < hi)
                {
                    engine.Inject(schedule[next].Neuron, schedule[next].Weight, schedule[next].Channel);
                }
            }

            if (next < schedule.Length)
            {
                n = (int)Math.Min(n, schedule[next].Tick - _tick);
            }

            // Short windows of small shards run inline: a hop to the thread pool would cost more than the window.
            var t1 = Stopwatch.GetTimestamp();
            var result = (long)n * local <= 1_000_000 ? engine.RunWindow(n) : await Task.Run(() => engine.RunWindow(n));
            var t2 = Stopwatch.GetTimestamp();
            foreach (var s in result.Spikes)
            {
                spikes.Add(((long)s.Tick << 32) | s.Source);
            }

            // The window's frames go out while this shard waits for its peers' frames of the same window: the previous
            // send must be complete first, so that each peer receives this shard's frames in order.
            if (_peers.Length > 0)
            {
                await sending;
                sending = SendAsync(result);
                if (sending.IsCompleted && Stopwatch.GetElapsedTime(_turnStarted) > MaxTurn)
                {
                    // An in-process push completes at once and the peers' frames may already be here, so nothing else
                    // would yield: without this one Advance call holds a pool thread for every window up to the
                    // checkpoint (seconds) while other grains and clusters in the process wait. A hop per window would
                    // cost more than a short window itself, hence the budget.
                    await Task.Yield();
                    _turnStarted = Stopwatch.GetTimestamp();
                }
            }

            var t3 = Stopwatch.GetTimestamp();
            _waitTicks += t1 - t0;
            _computeTicks += t2 - t1;
            _sendTicks += t3 - t2;
            _exchange.Record(Seconds(t1 - t0 + t3 - t2) * 1e6);
            ReportWindow(n, result.Spikes.Length);
            NeuroMeshTelemetry.RecordWindow(metrics.Tags, Seconds(t1 - t0), Seconds(t2 - t1), Seconds(t3 - t0), n);

            done += n;
            _tick += n;
        }

        var t4 = Stopwatch.GetTimestamp();
        await sending;
        _sendTicks += Stopwatch.GetTimestamp() - t4;

        // Complete the last window before reporting: the peers' spikes of that window still act here (STDP on synapses from
        // remote sources is replayed when they arrive), so only now are this shard's weights those of the checkpoint tick.
        if (_peers.Length > 0)
        {
            var t5 = Stopwatch.GetTimestamp();
            await AwaitPeersAsync(engine);
            _waitTicks += Stopwatch.GetTimestamp() - t5;
        }

        return new ShardAdvance(_setup!.Index, _tick, [.. spikes], engine.DiffPlasticWeights());
    }

    /// <inheritdoc />
    public Task<ShardInfo> GetInfo() => Task.FromResult(Info());

    /// <inheritdoc />
    public Task<ShardStateExport> ExportState()
    {
        var engine = _engine ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is not prepared");
        // Only the capture holds the shard up; the state is assembled and encoded on the pool while the run goes on.
        var capture = engine.CaptureState();
        var (tick, lo, hi) = (_tick, engine.Shard!.Plan.Lo(engine.Shard.Index), engine.Shard.Plan.Hi(engine.Shard.Index));
        var codec = snapshots.Value.Codec;
        _export = (tick, Task.Run(() => EngineStateCodec.Encode(capture(), codec)));
        return Task.FromResult(new ShardStateExport(_setup!.Index, lo, hi, tick));
    }

    /// <inheritdoc />
    public async Task<byte[]> TakeExport(long tick)
    {
        if (_export is not { } export || export.Tick != tick)
        {
            throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} has no state of tick {tick} waiting (ExportState copies one)");
        }

        var bytes = await export.Encoding;
        if (_export?.Tick == tick)
        {
            _export = null;
        }

        return bytes;
    }

    /// <inheritdoc />
    public Task<ShardInfo> ImportState(byte[] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var engine = _engine ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is not prepared");
        if (_tick != 0)
        {
            throw new InvalidOperationException($"shard {_setup!.Index} of run '{_setup.RunId}' has advanced to tick {_tick}; a snapshot restores into a fresh placement");
        }

        EngineState state;
        try
        {
            state = RunSnapshot.Parse(snapshot).DecodeState();
        }
        catch (SnapshotFormatException e)
        {
            throw new ArgumentException($"shard {_setup!.Index} of run '{_setup.RunId}' cannot restore the snapshot: {e.Message}", nameof(snapshot));
        }

        engine.ImportState(state);
        _tick = state.Tick;
        return Task.FromResult(Info());
    }

    /// <inheritdoc />
    public Task<WeightSample> SampleWeights(int max)
    {
        var engine = _engine ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is not prepared");
        var (eligible, plastic, weights) = engine.SampleWeights(max);
        return Task.FromResult(new WeightSample { Synapses = eligible, Plastic = plastic, Weights = weights });
    }

    /// <inheritdoc />
    public Task Release()
    {
        Free();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Accept(SpikeBatch batch)
    {
        _inbox.Enqueue(batch.Frame);
        _arrived.Release();
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Free();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Applies queued peer frames until every peer has ended the last window, waiting for more as needed.</summary>
    private async Task AwaitPeersAsync(IShardEngine engine)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.WindowTimeoutSeconds);
        var deadline = DateTime.UtcNow + timeout;
        ApplyDeferred(engine);
        while (!engine.PeersComplete)
        {
            while (!engine.PeersComplete && _inbox.TryDequeue(out var frame))
            {
                Apply(engine, frame);
            }

            if (engine.PeersComplete)
            {
                break;
            }

            var left = deadline - DateTime.UtcNow;
            var waited = left > TimeSpan.Zero && await _arrived.WaitAsync(left);
            _turnStarted = Stopwatch.GetTimestamp(); // a wait for a peer's frame is where the turn usually gives way
            if (!waited)
            {
                throw new TimeoutException(
                    $"shard {_setup!.Index} of run '{_setup.RunId}' waited {timeout.TotalSeconds:0} s for the end of the window ending at tick {engine.WindowLastTick} " +
                    $"from shard(s) {string.Join(", ", engine.MissingPeers())}; {_ingress!.Decoder.RejectedTotal} frame(s) were rejected. The run stops here rather than diverge.");
            }
        }
    }

    /// <summary>Frames held back because they belong to the window after the one being completed.</summary>
    private void ApplyDeferred(IShardEngine engine)
    {
        if (_deferred.Count == 0)
        {
            return;
        }

        var held = _deferred.ToArray();
        _deferred.Clear();
        foreach (var frame in held)
        {
            Apply(engine, frame);
        }
    }

    private void Apply(IShardEngine engine, byte[] frame)
    {
        if (frame.Length >= SpikeFrameHeader.Size)
        {
            var header = MemoryMarshal.Read<SpikeFrameHeader>(frame);
            if (header.Magic == SpikeFrameHeader.ExpectedMagic && (long)header.FirstTick > engine.WindowLastTick
                && (long)header.FirstTick <= engine.WindowLastTick + engine.Shard!.Plan.WindowTicks)
            {
                _deferred.Add(frame);
                return;
            }
        }

        _ingress!.Accept(frame);
    }

    /// <summary>
    /// Sends each peer the window's spikes of the neurons with a synapse onto that peer (the others would act on nothing
    /// there), in frames of that peer's own sequence; a peer with none gets the end-of-window marker alone.
    /// </summary>
    private Task SendAsync(ShardWindow window)
    {
        var plan = _engine!.Shard!.Plan;
        var sends = new Task[_peers.Length];
        for (var p = 0; p < _peers.Length; p++)
        {
            var peer = _peers[p];
            var spikes = SpikesFor(window.Spikes, plan, peer.Index);
            var frames = peer.Encoder.Encode(spikes.Length == window.Spikes.Length ? window : window with { Spikes = spikes });
            _framesSent += frames.Count;
            _spikesSent += spikes.Length;
            _spikesSentTo[peer.Index] += spikes.Length;
            sends[p] = SendAsync(peer, frames);
        }

        return Task.WhenAll(sends);
    }

    private Task SendAsync(Peer peer, IReadOnlyList<byte[]> frames)
    {
        if (_transport == CrossSiloTransport.Push && InProcessSilos.TryGet(peer.SiloKey, out var local))
        {
            // The peer's silo runs in this process: its router takes the frames as its ingress grain would, without a message.
            foreach (var frame in frames)
            {
                local.Router.Route(new SpikeBatch(peer.Channel, frame));
            }

            return Task.CompletedTask;
        }

        return _transport == CrossSiloTransport.Streams ? StreamAsync(peer, frames) : peer.Ingress.Deliver([.. frames.Select(f => new SpikeBatch(peer.Channel, f))]);
    }

    private static async Task StreamAsync(Peer peer, IReadOnlyList<byte[]> frames)
    {
        foreach (var frame in frames)
        {
            await peer.Stream.OnNextAsync(new SpikeBatch(peer.Channel, frame));
        }
    }

    /// <summary>The spikes of <paramref name="spikes"/> whose neurons have a synapse onto shard <paramref name="shard"/> (the array itself when all do).</summary>
    private static Spikes.Spike[] SpikesFor(Spikes.Spike[] spikes, ShardPlan plan, int shard)
    {
        var keep = 0;
        foreach (var spike in spikes)
        {
            keep += plan.Targets((int)spike.Source, shard) ? 1 : 0;
        }

        if (keep == spikes.Length)
        {
            return spikes;
        }

        var kept = new Spikes.Spike[keep];
        var k = 0;
        foreach (var spike in spikes)
        {
            if (plan.Targets((int)spike.Source, shard))
            {
                kept[k++] = spike;
            }
        }

        return kept;
    }

    private ShardInfo Info()
    {
        if (_engine?.Shard is not { } shard)
        {
            return new ShardInfo { Index = _setup?.Index ?? -1 };
        }

        return new ShardInfo
        {
            Index = shard.Index,
            Silo = _setup!.SiloKeys[shard.Index],
            FirstNeuron = shard.Plan.Lo(shard.Index),
            EndNeuron = shard.Plan.Hi(shard.Index),
            Synapses = _engine.SynapseCount,
            WindowTicks = shard.Plan.WindowTicks,
            Tick = _tick,
            Windows = _engine.WindowsRun,
            FramesSent = _framesSent,
            SpikesSent = _spikesSent,
            FramesReceived = _ingress!.Decoder.Accepted,
            SpikesReceived = _ingress.Decoder.SpikesAccepted - _engine.RemotePending,
            FramesRejected = _ingress.Decoder.RejectedTotal,
            SpikesPending = _engine.RemotePending + _deferred.Concat(_inbox).Sum(SpikesIn),
            Channel = Channel(_setup.RunId, _setup.Epoch, shard.Index),
            Transport = _transport.ToString(),
            Engine = _engine.Description,
            SpikesSentTo = [.. _spikesSentTo],
            CrossingSynapses = shard.Plan.CrossingSynapses,
            NetworkSynapses = shard.Plan.Synapses,
            ExchangeP50Micros = _peers.Length == 0 ? 0 : _exchange.Percentile(0.5),
            ExchangeP99Micros = _peers.Length == 0 ? 0 : _exchange.Percentile(0.99),
            WaitSeconds = (double)_waitTicks / Stopwatch.Frequency,
            ComputeSeconds = (double)_computeTicks / Stopwatch.Frequency,
            SendSeconds = (double)_sendTicks / Stopwatch.Frequency,
        };
    }

    private static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;

    /// <summary>Adds one window and this shard's traffic since the last report to the silo's metrics (once per window, never per spike).</summary>
    private void ReportWindow(int ticks, long spikes)
    {
        var delta = TrafficSinceReport();
        metrics.AddWindow(ticks, spikes, delta.FramesSent, delta.SpikesSent, delta.FramesReceived, delta.SpikesReceived, delta.FramesRejected);
    }

    private (long FramesSent, long SpikesSent, long FramesReceived, long SpikesReceived, long FramesRejected) TrafficSinceReport()
    {
        var now = (_framesSent, _spikesSent, _ingress?.Decoder.Accepted ?? 0, _ingress?.Decoder.SpikesAccepted ?? 0, _ingress?.Decoder.RejectedTotal ?? 0);
        var delta = (now.Item1 - _reported.FramesSent, now.Item2 - _reported.SpikesSent, now.Item3 - _reported.FramesReceived, now.Item4 - _reported.SpikesReceived, now.Item5 - _reported.FramesRejected);
        _reported = now;
        return delta;
    }

    private static long SpikesIn(byte[] frame) => Math.Max(0, (frame.Length - SpikeFrameHeader.Size) / Spikes.Spike.Size);

    private void Free()
    {
        _registration?.Dispose();
        _registration = null;
        if (_engine is not null)
        {
            // What landed after the last window (the peers' last frames, decoded or still queued: no window follows to
            // apply them) is counted as received now, so the silo's totals close: frames and spikes sent = received.
            var rest = TrafficSinceReport();
            var queued = _deferred.Concat(_inbox).ToArray();
            metrics.AddTraffic(rest.FramesSent, rest.SpikesSent, rest.FramesReceived + queued.Length, rest.SpikesReceived + queued.Sum(SpikesIn), rest.FramesRejected);
            metrics.AddShards(-1);
        }

        _engine?.Dispose();
        _engine = null;
    }

    /// <summary>A peer shard: its index, silo, channel, the two ways to reach its silo, and the encoder of this shard's frames to it.</summary>
    private sealed record class Peer(int Index, string SiloKey, string Channel, IAsyncStream<SpikeBatch> Stream, IFabricIngressGrain Ingress, ShardFrameEncoder Encoder);
}
