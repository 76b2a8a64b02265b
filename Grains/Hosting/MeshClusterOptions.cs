using NeuroMesh.Cluster;

namespace NeuroMesh.Hosting;

/// <summary>Cross-silo settings, bound from the <c>NeuroMesh:Cluster</c> configuration section.</summary>
public sealed class MeshClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Cluster";

    /// <summary>
    /// How often, in milliseconds, the memory-stream pulling agent polls its queues when they were empty (Orleans'
    /// default is 100 ms; a lockstep window waits for its peers' batches, so this bounds the latency of every window).
    /// </summary>
    public int PollPeriodMs { get; set; } = 1;

    /// <summary>Memory-stream queues in the cluster (each holds at most 16,384 batches).</summary>
    public int Queues { get; set; } = 8;

    /// <summary>How long, in seconds, a lockstep shard waits for its peers' end of window before it fails the run.</summary>
    public int WindowTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// How lockstep shards send their windows to peers: <see cref="CrossSiloTransport.Push"/> (the default: a peer
    /// silo in this process is handed the frames directly, any other gets a grain call), <c>Calls</c> (one grain call per
    /// window and peer to the peer silo's fabric ingress) or <c>Streams</c> (the peer silo's spike stream, read by its
    /// pulling agent). All deliver the same frames to the same sink; only the latency differs.
    /// </summary>
    public CrossSiloTransport LockstepTransport { get; set; } = CrossSiloTransport.Push;

    /// <summary>
    /// Whether a run started in the background carries on when its grain is activated again (after its silo was lost, its
    /// grain directory entry went with another silo, or it was moved): true on a node; the <c>replay</c> command turns it
    /// off, since it only reads the log.
    /// </summary>
    public bool ResumeStartedRuns { get; set; } = true;

    /// <summary>Worker threads of each shard's CPU engine (0: the engine decides from the machine).</summary>
    public int EngineThreads { get; set; }

    /// <summary>
    /// Free-running mesh traffic: how long, in microseconds, a partial batch may wait in the outbox for more spikes. 0 (the
    /// default) flushes as soon as the link to the destination is free; while a batch is on its way, spikes accumulate, so
    /// batches still grow with the load. A positive value trades latency for fewer, fuller batches (.NET timers tick about
    /// once a millisecond, so values below 1000 act as about 1 ms).
    /// </summary>
    public int FlushMicros { get; set; }

    /// <summary>Free-running mesh traffic: the most spikes in one batch (a full batch is flushed at once).</summary>
    public int MaxBatchSpikes { get; set; } = 2048;

    /// <summary>
    /// Free-running mesh traffic: batches sent to one destination silo and not yet acknowledged by it. This bounds what one
    /// sender can leave in a memory-stream queue, which throws above 16,384 batches.
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = 64;

    /// <summary>Free-running mesh traffic: spikes the outbox holds per destination silo before it throttles or drops.</summary>
    public int OutboxSpikes { get; set; } = 65_536;

    /// <summary>
    /// How free-running mesh batches cross silos: <see cref="CrossSiloTransport.Push"/> (the default: straight into a
    /// destination silo's mesh ingress when it runs in this process, otherwise as <c>Calls</c>), <c>Calls</c> (one awaited
    /// grain call per batch to the destination's mesh ingress grain, which answers with the receipt) or <c>Streams</c>
    /// (the memory spike streams; receipts read by call).
    /// </summary>
    public CrossSiloTransport MeshTransport { get; set; } = CrossSiloTransport.Push;

    /// <summary>
    /// How many queued batches of one stream the pulling agent hands to the ingress grain in one call (Orleans' default is
    /// one call per batch, which caps a stream at one cross-silo round trip per batch).
    /// </summary>
    public int DeliveryBatches { get; set; } = 32;

    /// <summary>
    /// How long, in seconds, the memory-stream cache keeps a batch after it was read from its queue (Orleans keeps them
    /// for minutes, which at mesh rates is gigabytes). Receivers lag by at most the in-flight window, far less than this.
    /// </summary>
    public int CacheSeconds { get; set; } = 5;

    /// <summary>The first invalid setting, as a message naming it, or null.</summary>
    public string? Problem() => this switch
    {
        { PollPeriodMs: < 1 or > 10_000 } => $"{SectionName}:PollPeriodMs must be in [1, 10000] (got {PollPeriodMs}).",
        { Queues: < 1 or > 1024 } => $"{SectionName}:Queues must be in [1, 1024] (got {Queues}).",
        { WindowTimeoutSeconds: < 1 } => $"{SectionName}:WindowTimeoutSeconds must be positive (got {WindowTimeoutSeconds}).",
        _ when !Enum.IsDefined(LockstepTransport) => $"{SectionName}:LockstepTransport must be Push, Calls or Streams (got '{LockstepTransport}').",
        { EngineThreads: < 0 or > 1024 } => $"{SectionName}:EngineThreads must be 0 (auto) or in [1, 1024] (got {EngineThreads}).",
        { FlushMicros: < 0 or > 1_000_000 } => $"{SectionName}:FlushMicros must be in [0, 1000000] (got {FlushMicros}).",
        { MaxBatchSpikes: < 1 or > 65_536 } => $"{SectionName}:MaxBatchSpikes must be in [1, 65536] (got {MaxBatchSpikes}).",
        { MaxBatchesInFlight: < 1 or > 1024 } => $"{SectionName}:MaxBatchesInFlight must be in [1, 1024], well under a memory-stream queue's 16,384 (got {MaxBatchesInFlight}).",
        _ when OutboxSpikes < MaxBatchSpikes || OutboxSpikes > 1 << 24 => $"{SectionName}:OutboxSpikes must be in [MaxBatchSpikes ({MaxBatchSpikes}), 16777216] (got {OutboxSpikes}).",
        _ when !Enum.IsDefined(MeshTransport) => $"{SectionName}:MeshTransport must be Push, Calls or Streams (got '{MeshTransport}').",
        { DeliveryBatches: < 1 or > 1024 } => $"{SectionName}:DeliveryBatches must be in [1, 1024] (got {DeliveryBatches}).",
        { CacheSeconds: < 1 or > 3600 } => $"{SectionName}:CacheSeconds must be in [1, 3600] (got {CacheSeconds}).",
        _ => null,
    };
}
