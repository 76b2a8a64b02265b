namespace NeuroMesh.Cluster;

/// <summary>What one silo's mesh ingress has done with the free-running batches it received.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.mesh-ingress-counters")]
public sealed record class MeshIngressCounters
{
    /// <summary>The silo, as its parsable address.</summary>
    [Id(0)] public string Silo { get; init; } = string.Empty;

    /// <summary>Frames that passed validation.</summary>
    [Id(1)] public long FramesAccepted { get; init; }

    /// <summary>Spikes in accepted frames (= delivered + no consumer + consumer faults).</summary>
    [Id(2)] public long SpikesAccepted { get; init; }

    /// <summary>Spikes handed to the silo's consumer.</summary>
    [Id(3)] public long SpikesDelivered { get; init; }

    /// <summary>Spikes dropped because no consumer was attached.</summary>
    [Id(4)] public long SpikesNoConsumer { get; init; }

    /// <summary>Spikes of batches whose consumer threw.</summary>
    [Id(5)] public long SpikesConsumerFaulted { get; init; }

    /// <summary>Accepted frames that followed a gap in their sender's sequence (frames lost upstream).</summary>
    [Id(6)] public long Gaps { get; init; }

    /// <summary>Rejected frames by reason (truncated, bad checksum, replayed, ...); a rejected frame delivers nothing.</summary>
    [Id(7)] public Dictionary<string, long> Rejected { get; init; } = [];

    /// <summary>Rejected frames, all reasons.</summary>
    public long RejectedTotal => Rejected.Values.Sum();
}
