using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NeuroMesh.Telemetry;

/// <summary>
/// NeuroMesh's one <see cref="System.Diagnostics.Metrics.Meter"/> and one <see cref="System.Diagnostics.ActivitySource"/>, both
/// named <see cref="Name"/>. The fast path never calls an instrument: spikes, rings and the mesh are counted by the padded
/// counters that already exist (the Cortex, the Axons, the silo outbox and ingress), and each silo's
/// <see cref="SiloMetrics"/> holds the per-window and per-append sums; the observable instruments here read them when a
/// collector asks, one measurement per silo tagged <c>silo</c>. Histograms are recorded once per lockstep window or per
/// delta-log append, never per spike.
/// </summary>
public static class NeuroMeshTelemetry
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "NeuroMesh";

    /// <summary>The meter Orleans itself reports on (messaging, grains, membership...).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    private static readonly string Version = typeof(NeuroMeshTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    private static readonly ConcurrentDictionary<SiloMetrics, byte> Silos = new();

    /// <summary>The meter every NeuroMesh instrument belongs to.</summary>
    public static readonly Meter Meter = new(new MeterOptions(Name) { Version = Version });

    /// <summary>Control-plane spans: deploy, run, checkpoint, replay, restart, placement.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, Version);

    /// <summary>
    /// Bucket bounds of the latency histograms, 10 µs to 5 s. Without this advice the SDK uses its default
    /// {0, 5, 10, 25, ...} (seconds bounds are default only for HTTP instruments), which puts every window in the first
    /// bucket and makes a p50 or p99 read about 2.5 s whatever the latency.
    /// </summary>
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5],
    };

    private static readonly Counter<long> SupervisorRestarts = Meter.CreateCounter<long>(
        "neuromesh.supervisor.restarts", "{restart}", "Children restarted by a supervisor, by supervisor and reason.");

    private static readonly Counter<long> HostRefusals = Meter.CreateCounter<long>(
        "neuromesh.agents.host.refused", "{agent}", "Agents a silo refused to host (bind or activate with a behaviour), by reason: max_agents (NeuroMesh:Fabric:MaxAgents reached) or fabric_full (no free ring).");

    private static readonly Histogram<double> WindowDuration = Meter.CreateHistogram<double>(
        "neuromesh.simulation.window.duration", "s", "Wall time of one lockstep window on one shard: barrier wait, engine and send.", tags: null, advice: SecondsBuckets);

    private static readonly Histogram<double> TickDuration = Meter.CreateHistogram<double>(
        "neuromesh.simulation.tick.duration", "s", "Engine time per simulated tick, averaged over one lockstep window.", tags: null, advice: SecondsBuckets);

    private static readonly Histogram<double> BarrierWait = Meter.CreateHistogram<double>(
        "neuromesh.simulation.barrier.wait", "s", "Time one shard waited for its peers' end-of-window markers before a window.", tags: null, advice: SecondsBuckets);

    private static readonly Histogram<double> AppendLatency = Meter.CreateHistogram<double>(
        "neuromesh.deltalog.append.duration", "s", "Latency of one delta-log append (one batch of events, snapshot included).", tags: null, advice: SecondsBuckets);

    static NeuroMeshTelemetry()
    {
        // The agents' mesh: the silo's Cortex accounting (exact between passes).
        Observe("neuromesh.spikes.published", "{spike}", "Spikes published into Axons by the agent mesh's neurons, plus injected ones.", s => s.Cortex(c => c.Fired + c.Injected));
        Observe("neuromesh.spikes.delivered", "{spike}", "Spikes the agent mesh handed to at least one receiver (local behaviour or remote silo).", s => s.Cortex(c => c.Delivered));
        Meter.CreateObservableCounter("neuromesh.spikes.dropped", static () => Each(s => s.DroppedByReason()), "{spike}", "Spikes the agent mesh dropped, by reason.");
        Meter.CreateObservableCounter("neuromesh.spikes.refused", static () => Each(s => s.RefusedByReason()), "{spike}", "Fire attempts the agent mesh refused, by reason.");
        Meter.CreateObservableGauge("neuromesh.fabric.ring.occupancy", static () => Each(s => s.One(s.Cortex(c => c.InFlight))), "{spike}", "Spikes sitting in the agent mesh's Axon rings, not yet routed.");
        Meter.CreateObservableGauge("neuromesh.fabric.rings.leased", static () => Each(s => s.One(s.Fabric.LeasedRings)), "{ring}", "Rings of the silo's fabric leased now.");
        Meter.CreateObservableGauge("neuromesh.fabric.rings.capacity", static () => Each(s => s.One(s.Fabric.Layout.RingCount)), "{ring}", "Rings the silo's fabric has.");
        Meter.CreateObservableGauge("neuromesh.fabric.ring.bytes.leased", static () => Each(s => s.One(s.Fabric.LeasedRingBytes)), "By", "Bytes of the silo's fabric ring pool leased now (agents' rings, growing with their traffic).");
        Meter.CreateObservableGauge("neuromesh.fabric.ring.bytes.capacity", static () => Each(s => s.One(s.Fabric.Layout.RingPoolBytes)), "By", "Bytes of the silo's fabric ring pool.");
        Observe("neuromesh.fabric.ring.grows", "{grow}", "Times a ring grew into a larger block because its producer found it full.", s => s.Fabric.RingGrows);
        Observe("neuromesh.fabric.ring.grows_refused", "{grow}", "Times a full ring could not grow because the ring pool had no larger block (it then waited or refused as a fixed ring).", s => s.Fabric.RingGrowsRefused);
        Meter.CreateObservableGauge("neuromesh.agents.hosted", static () => Each(s => s.One(s.Agents?.HostedCount ?? 0)), "{agent}", "Agents the silo hosts now.");
        Observe("neuromesh.fabric.ring.highwater_hits", "{hit}", "Times a ring's producer reached the high-water mark and had to wait.", s => s.Fabric.HighWaterHits);
        Observe("neuromesh.mesh.ticks", "{tick}", "Passes the agent mesh has run.", s => s.Cortex(c => c.Ticks));

        // Cross-silo traffic: the lockstep shards' frames and the agent mesh's outbox and ingress.
        Meter.CreateObservableCounter("neuromesh.crosssilo.batches.sent", static () => Each(s => s.ByPath(s.LockstepFramesSent, s.Lanes(l => l.Batches))), "{batch}", "Spike batches (frames) sent to other silos, by path (lockstep, mesh).");
        Meter.CreateObservableCounter("neuromesh.crosssilo.spikes.sent", static () => Each(s => s.ByPath(s.LockstepSpikesSent, s.Lanes(l => l.Sent))), "{spike}", "Spikes sent to other silos (once per receiving silo), by path.");
        Meter.CreateObservableCounter("neuromesh.crosssilo.batches.received", static () => Each(s => s.ByPath(s.LockstepFramesReceived, s.Ingress(i => i.FramesAccepted))), "{batch}", "Spike batches accepted from other silos, by path.");
        Meter.CreateObservableCounter("neuromesh.crosssilo.spikes.received", static () => Each(s => s.ByPath(s.LockstepSpikesReceived, s.Ingress(i => i.SpikesAccepted))), "{spike}", "Spikes accepted from other silos, by path.");
        Meter.CreateObservableCounter("neuromesh.crosssilo.batches.corrupt", static () => Each(s => s.ByPath(s.LockstepFramesRejected, s.Ingress(i => i.RejectedTotal))), "{batch}", "Batches from other silos rejected as corrupt, truncated or replayed (they delivered nothing), by path.");
        Meter.CreateObservableCounter("neuromesh.crosssilo.spikes.dropped", static () => Each(s => s.OutboxDroppedByReason()), "{spike}", "Spikes the agent mesh's outbox dropped on the way to other silos, by reason.");

        // The simulation clock.
        Observe("neuromesh.simulation.ticks", "{tick}", "Ticks simulated by this silo's lockstep shards.", s => s.SimulationTicks);
        Observe("neuromesh.simulation.windows", "{window}", "Lockstep windows run by this silo's shards.", s => s.SimulationWindows);
        Observe("neuromesh.simulation.spikes", "{spike}", "Spikes emitted by this silo's lockstep shards' engines.", s => s.SimulationSpikes);
        Meter.CreateObservableGauge("neuromesh.simulation.shards", static () => Each(s => s.One(s.ActiveShards)), "{shard}", "Lockstep shards prepared on this silo now.");
        Meter.CreateObservableGauge("neuromesh.snapshots.stored", static () => Each(s => s.One(s.SnapshotBytesStored)), "By", "Bytes of engine snapshots that runs on this silo wrote and retention has not deleted (their disk or database use).");
        Meter.CreateObservableGauge("neuromesh.gpu.shards", static () => Each(s => s.One(s.GpuShards)), "{shard}", "Lockstep shards of this silo running on its GPU worker's device now.");
        Observe("neuromesh.gpu.fallbacks", "{fallback}", "Device failures after which this silo's shards went back to CpuEngine (the run rolled back to its last checkpoint).", s => s.GpuFallbacks);

        // Persistence.
        Observe("neuromesh.deltalog.appends", "{batch}", "Delta-log batches appended by this silo's event-sourced grains.", s => s.DeltaAppends);
        Observe("neuromesh.deltalog.deltas", "{delta}", "Deltas (events) appended by this silo's event-sourced grains.", s => s.DeltaEvents);
        Observe("neuromesh.deltalog.replayed", "{delta}", "Deltas read back while activating event-sourced grains (replay progress of grain state).", s => s.DeltaReplayed);
        Observe("neuromesh.replay.checkpoints", "{checkpoint}", "Run checkpoints re-verified by replaying a run (rebuild or replay verb).", s => s.ReplayCheckpoints);
        Observe("neuromesh.replay.ticks", "{tick}", "Ticks re-simulated to rebuild or replay runs.", s => s.ReplayTicks);
        Observe("neuromesh.snapshots.written", "{snapshot}", "Engine snapshots written to the snapshot store by runs on this silo.", s => s.SnapshotsWritten);
        Observe("neuromesh.snapshots.restored", "{snapshot}", "Engine snapshots restored by rebuilds (recovery, replay, rescale) on this silo.", s => s.SnapshotsRestored);
    }

    /// <summary>
    /// Counts one restart of a supervised child. For supervisors: call once per restart (a control-plane event, never per
    /// message). Tags: the supervisor's name and the reason (the failing exception's type, or <c>escalated</c>...).
    /// </summary>
    public static void RecordRestart(string supervisor, string reason)
        => SupervisorRestarts.Add(1, new KeyValuePair<string, object?>("supervisor", supervisor), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts one agent a silo refused to host; <paramref name="reason"/> is <c>max_agents</c> or <c>fabric_full</c>. A control-plane event.</summary>
    public static void RecordHostRefused(string reason)
        => HostRefusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Starts the span of a supervisor restart (null when nobody listens).</summary>
    public static Activity? StartRestart(string supervisor, string child) => Start("restart", ("neuromesh.supervisor", supervisor), ("neuromesh.child", child));

    /// <summary>
    /// Starts a control-plane span named <c>neuromesh.<paramref name="operation"/></c> (deploy, run, checkpoint, replay,
    /// restart, place) as a child of <see cref="Activity.Current"/>, which Orleans' activity propagation carries across
    /// silos from the calling client. Null when no listener samples it.
    /// </summary>
    public static Activity? Start(string operation, params (string Key, object? Value)[] tags)
    {
        var activity = ActivitySource.StartActivity($"neuromesh.{operation}", ActivityKind.Internal);
        if (activity is not null)
        {
            foreach (var (key, value) in tags)
            {
                activity.SetTag(key, value);
            }
        }

        return activity;
    }

    internal static void RecordWindow(in TagList silo, double waitSeconds, double computeSeconds, double totalSeconds, int ticks)
    {
        WindowDuration.Record(totalSeconds, silo);
        BarrierWait.Record(waitSeconds, silo);
        if (ticks > 0)
        {
            TickDuration.Record(computeSeconds / ticks, silo);
        }
    }

    internal static void RecordAppend(in TagList silo, double seconds) => AppendLatency.Record(seconds, silo);

    internal static void Register(SiloMetrics silo) => Silos.TryAdd(silo, 0);

    internal static void Unregister(SiloMetrics silo) => Silos.TryRemove(silo, out _);

    private static void Observe(string name, string unit, string description, Func<SiloMetrics, long> read)
        => Meter.CreateObservableCounter(name, () => Each(s => s.One(read(s))), unit, description);

    private static IEnumerable<Measurement<long>> Each(Func<SiloMetrics, IEnumerable<Measurement<long>>> read)
    {
        var all = new List<Measurement<long>>();
        foreach (var silo in Silos.Keys)
        {
            all.AddRange(read(silo));
        }

        return all;
    }
}
