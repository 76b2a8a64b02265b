using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;
using NeuroMesh.Fabric;
using NeuroMesh.Neurons;

namespace NeuroMesh.Telemetry;

/// <summary>
/// One silo's side of <see cref="NeuroMeshTelemetry"/>: padded sums that the lockstep shards and the delta-log grains add to
/// once per window or per append, and the silo's fabric, agent mesh, outbox and ingress, whose own counters the observable
/// instruments read. It reports from the moment the silo is active until it stops; every measurement is tagged with the
/// silo's address, so several silos in one process (an embedded cluster) report apart.
/// </summary>
/// <remarks>Writers use <see cref="Interlocked.Add(ref long, long)"/>; the collector reads with <see cref="Volatile.Read(ref readonly long)"/>.</remarks>
public sealed class SiloMetrics : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly string[] CortexDropReasons = ["no_subscribers", "unknown_target", "target_removed", "source_removed"];
    private static readonly string[] CortexRefusalReasons = ["refractory", "axon_full", "arena_full"];
    private static readonly string[] OutboxDropReasons = ["outbox_full", "enqueue_failed", "closed", "lost"];

    /// <summary>How long one snapshot of the Cortex, outbox and ingress counters serves collections (one collection's callbacks run well within it).</summary>
    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromMilliseconds(100);

    private readonly IServiceProvider _services;
    private readonly Lock _snapshotLock = new();
    private Snapshot? _snapshot;
    private readonly KeyValuePair<string, object?>[] _silo;
    private readonly KeyValuePair<string, object?>[][] _dropTags;
    private readonly KeyValuePair<string, object?>[][] _refusalTags;
    private readonly KeyValuePair<string, object?>[][] _outboxDropTags;
    private readonly KeyValuePair<string, object?>[] _lockstep;
    private readonly KeyValuePair<string, object?>[] _mesh;
    private volatile SiloAgentMesh? _agents;
    private SiloOutbox? _outbox;
    private MeshIngress? _ingress;
    private PaddedLong _simulationTicks;
    private PaddedLong _simulationWindows;
    private PaddedLong _simulationSpikes;
    private PaddedLong _activeShards;
    private PaddedLong _gpuShards;
    private PaddedLong _gpuFallbacks;
    private PaddedLong _lockstepFramesSent;
    private PaddedLong _lockstepSpikesSent;
    private PaddedLong _lockstepFramesReceived;
    private PaddedLong _lockstepSpikesReceived;
    private PaddedLong _lockstepFramesRejected;
    private PaddedLong _deltaAppends;
    private PaddedLong _deltaEvents;
    private PaddedLong _deltaReplayed;
    private PaddedLong _replayCheckpoints;
    private PaddedLong _replayTicks;
    private PaddedLong _snapshotsWritten;
    private PaddedLong _snapshotsRestored;
    private PaddedLong _snapshotBytesStored;

    /// <summary>Reports on the silo whose services these are.</summary>
    public SiloMetrics(IServiceProvider services, ILocalSiloDetails silo, SpikeFabric fabric)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _services = services;
        Fabric = fabric;
        SiloAddress = silo.SiloAddress.ToParsableString();
        var tag = new KeyValuePair<string, object?>("silo", SiloAddress);
        _silo = [tag];
        Tags = new TagList(_silo);
        _dropTags = [.. CortexDropReasons.Select(r => new[] { tag, new KeyValuePair<string, object?>("reason", r) })];
        _refusalTags = [.. CortexRefusalReasons.Select(r => new[] { tag, new KeyValuePair<string, object?>("reason", r) })];
        _outboxDropTags = [.. OutboxDropReasons.Select(r => new[] { tag, new KeyValuePair<string, object?>("reason", r) })];
        _lockstep = [tag, new KeyValuePair<string, object?>("path", "lockstep")];
        _mesh = [tag, new KeyValuePair<string, object?>("path", "mesh")];
    }

    /// <summary>The silo's parsable address, the <c>silo</c> tag of its measurements.</summary>
    public string SiloAddress { get; }

    /// <summary>The <c>silo</c> tag, for histograms recorded on this silo.</summary>
    public TagList Tags { get; }

    internal SpikeFabric Fabric { get; }

    internal long SimulationTicks => Volatile.Read(ref _simulationTicks.Value);

    internal long SimulationWindows => Volatile.Read(ref _simulationWindows.Value);

    internal long SimulationSpikes => Volatile.Read(ref _simulationSpikes.Value);

    internal long ActiveShards => Volatile.Read(ref _activeShards.Value);

    internal long GpuShards => Volatile.Read(ref _gpuShards.Value);

    internal long GpuFallbacks => Volatile.Read(ref _gpuFallbacks.Value);

    internal long LockstepFramesSent => Volatile.Read(ref _lockstepFramesSent.Value);

    internal long LockstepSpikesSent => Volatile.Read(ref _lockstepSpikesSent.Value);

    internal long LockstepFramesReceived => Volatile.Read(ref _lockstepFramesReceived.Value);

    internal long LockstepSpikesReceived => Volatile.Read(ref _lockstepSpikesReceived.Value);

    internal long LockstepFramesRejected => Volatile.Read(ref _lockstepFramesRejected.Value);

    internal long DeltaAppends => Volatile.Read(ref _deltaAppends.Value);

    internal long DeltaEvents => Volatile.Read(ref _deltaEvents.Value);

    internal long DeltaReplayed => Volatile.Read(ref _deltaReplayed.Value);

    internal long ReplayCheckpoints => Volatile.Read(ref _replayCheckpoints.Value);

    internal long ReplayTicks => Volatile.Read(ref _replayTicks.Value);

    internal long SnapshotsWritten => Volatile.Read(ref _snapshotsWritten.Value);

    internal long SnapshotsRestored => Volatile.Read(ref _snapshotsRestored.Value);

    internal long SnapshotBytesStored => Volatile.Read(ref _snapshotBytesStored.Value);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(SiloMetrics), ServiceLifecycleStage.Active, Start, Stop);
    }

    /// <summary>Adds one lockstep window of one shard: its ticks, the spikes its engine emitted, and what it sent and received since the last call.</summary>
    internal void AddWindow(int ticks, long spikes, long framesSent, long spikesSent, long framesReceived, long spikesReceived, long framesRejected)
    {
        Interlocked.Add(ref _simulationTicks.Value, ticks);
        Interlocked.Increment(ref _simulationWindows.Value);
        Interlocked.Add(ref _simulationSpikes.Value, spikes);
        AddTraffic(framesSent, spikesSent, framesReceived, spikesReceived, framesRejected);
    }

    /// <summary>Adds cross-silo lockstep traffic outside a window (frames that landed after the last one).</summary>
    internal void AddTraffic(long framesSent, long spikesSent, long framesReceived, long spikesReceived, long framesRejected)
    {
        Interlocked.Add(ref _lockstepFramesSent.Value, framesSent);
        Interlocked.Add(ref _lockstepSpikesSent.Value, spikesSent);
        Interlocked.Add(ref _lockstepFramesReceived.Value, framesReceived);
        Interlocked.Add(ref _lockstepSpikesReceived.Value, spikesReceived);
        Interlocked.Add(ref _lockstepFramesRejected.Value, framesRejected);
    }

    /// <summary>A shard was prepared (+1) or freed (-1) on this silo.</summary>
    internal void AddShards(int delta) => Interlocked.Add(ref _activeShards.Value, delta);

    internal void AddGpuShards(int delta) => Interlocked.Add(ref _gpuShards.Value, delta);

    internal void AddGpuFallback() => Interlocked.Increment(ref _gpuFallbacks.Value);

    /// <summary>Adds one delta-log append of <paramref name="events"/> events that took <paramref name="seconds"/>.</summary>
    internal void AddAppend(int events, double seconds)
    {
        Interlocked.Increment(ref _deltaAppends.Value);
        Interlocked.Add(ref _deltaEvents.Value, events);
        NeuroMeshTelemetry.RecordAppend(Tags, seconds);
    }

    /// <summary>Adds deltas read back while activating a grain.</summary>
    internal void AddReplayed(long deltas) => Interlocked.Add(ref _deltaReplayed.Value, deltas);

    /// <summary>Adds one run checkpoint verified by replay, <paramref name="ticks"/> ticks after the previous one.</summary>
    internal void AddReplayCheckpoint(long ticks)
    {
        Interlocked.Increment(ref _replayCheckpoints.Value);
        Interlocked.Add(ref _replayTicks.Value, ticks);
    }

    /// <summary>Adds one engine snapshot of <paramref name="bytes"/> that this silo's runs wrote to the store.</summary>
    internal void AddSnapshotWritten(long bytes)
    {
        Interlocked.Increment(ref _snapshotsWritten.Value);
        Interlocked.Add(ref _snapshotBytesStored.Value, bytes);
    }

    /// <summary>Takes <paramref name="bytes"/> of snapshots that retention deleted off the stored total.</summary>
    internal void AddSnapshotDeleted(long bytes) => Interlocked.Add(ref _snapshotBytesStored.Value, -bytes);

    /// <summary>Adds one engine snapshot restored by a rebuild (recovery, replay, rescale).</summary>
    internal void AddSnapshotRestored() => Interlocked.Increment(ref _snapshotsRestored.Value);

    internal IEnumerable<Measurement<long>> One(long value) => [new(value, _silo)];

    /// <summary>The silo's agent mesh, once something created it (resolving it here would take the mesh ingress).</summary>
    internal SiloAgentMesh? Agents
    {
        get => _agents;
        set => _agents = value;
    }

    internal long Cortex(Func<CortexCounters, long> read) => read(Current().Cortex);

    internal long Lanes(Func<MeshLaneCounters, long> read) => Current().Lanes.Sum(read);

    internal long Ingress(Func<MeshIngressCounters, long> read) => read(Current().Ingress);

    internal IEnumerable<Measurement<long>> ByPath(long lockstep, long mesh) => [new(lockstep, _lockstep), new(mesh, _mesh)];

    internal IEnumerable<Measurement<long>> DroppedByReason()
    {
        var c = Current().Cortex;
        long[] values = [c.DroppedNoSubscribers, c.DroppedUnknownTarget, c.DroppedTargetRemoved, c.DroppedSourceRemoved];
        return values.Select((v, i) => new Measurement<long>(v, _dropTags[i]));
    }

    internal IEnumerable<Measurement<long>> RefusedByReason()
    {
        var c = Current().Cortex;
        long[] values = [c.RefusedRefractory, c.RefusedAxonFull, c.RefusedArenaFull];
        return values.Select((v, i) => new Measurement<long>(v, _refusalTags[i]));
    }

    internal IEnumerable<Measurement<long>> OutboxDroppedByReason()
    {
        var lanes = Current().Lanes;
        long[] values = [lanes.Sum(l => l.DroppedOutboxFull), lanes.Sum(l => l.DroppedEnqueueFailed), lanes.Sum(l => l.DroppedClosed), lanes.Sum(l => l.DroppedLost)];
        return values.Select((v, i) => new Measurement<long>(v, _outboxDropTags[i]));
    }

    /// <summary>
    /// The Cortex, outbox and ingress counters as one snapshot, taken at most once per <see cref="SnapshotLifetime"/>: one
    /// collection reads a dozen instruments from them, so they agree with each other, and the Cortex's pass lock (its
    /// counters walk every neuron) is taken once per collection instead of once per instrument.
    /// </summary>
    private Snapshot Current()
    {
        lock (_snapshotLock)
        {
            if (_snapshot is { } cached && Stopwatch.GetElapsedTime(cached.Taken) < SnapshotLifetime)
            {
                return cached;
            }

            _snapshot = new Snapshot(
                Stopwatch.GetTimestamp(),
                _agents?.Cortex.Counters ?? default,
                _outbox?.AllCounters() ?? [],
                _ingress?.Counters(SiloAddress) ?? new MeshIngressCounters());
            return _snapshot;
        }
    }

    private Task Start(CancellationToken cancellationToken)
    {
        // Resolved now: by the time a collector reads them the silo's services are built, and after Stop nothing is read.
        _outbox = _services.GetService<SiloOutbox>();
        _ingress = _services.GetService<MeshIngress>();
        NeuroMeshTelemetry.Register(this);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        NeuroMeshTelemetry.Unregister(this);
        return Task.CompletedTask;
    }

    private sealed record Snapshot(long Taken, CortexCounters Cortex, IReadOnlyList<MeshLaneCounters> Lanes, MeshIngressCounters Ingress);
}
