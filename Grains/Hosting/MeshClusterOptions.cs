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
    /// How lockstep shards send their windows to peers: <c>Streams</c> (the default: the peer silo's spike stream, read by
    /// its pulling agent) or <c>Calls</c> (one grain call per window and peer to the peer silo's fabric ingress, no polling).
    /// Both deliver the same frames to the same sink; only the latency differs.
    /// </summary>
    public string LockstepTransport { get; set; } = "Streams";

    /// <summary>Worker threads of each shard's CPU engine (0: the engine decides from the machine).</summary>
    public int EngineThreads { get; set; }

    /// <summary>The first invalid setting, as a message naming it, or null.</summary>
    public string? Problem() => this switch
    {
        { PollPeriodMs: < 1 or > 10_000 } => $"{SectionName}:PollPeriodMs must be in [1, 10000] (got {PollPeriodMs}).",
        { Queues: < 1 or > 1024 } => $"{SectionName}:Queues must be in [1, 1024] (got {Queues}).",
        { WindowTimeoutSeconds: < 1 } => $"{SectionName}:WindowTimeoutSeconds must be positive (got {WindowTimeoutSeconds}).",
        { LockstepTransport: not ("Streams" or "Calls") } => $"{SectionName}:LockstepTransport must be Streams or Calls (got '{LockstepTransport}').",
        { EngineThreads: < 0 or > 1024 } => $"{SectionName}:EngineThreads must be 0 (auto) or in [1, 1024] (got {EngineThreads}).",
        _ => null,
    };
}
