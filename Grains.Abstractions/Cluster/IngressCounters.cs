namespace NeuroMesh.Cluster;

/// <summary>What one silo's fabric ingress has received from the spike stream since it started.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.ingress-counters")]
public sealed record class IngressCounters
{
    /// <summary>The silo, as its parsable address.</summary>
    [Id(0)] public string Silo { get; init; } = string.Empty;

    /// <summary>Batches handed to a registered sink.</summary>
    [Id(1)] public long Delivered { get; init; }

    /// <summary>Batches dropped because no sink was registered for their channel (a finished or superseded run).</summary>
    [Id(2)] public long DroppedNoSink { get; init; }

    /// <summary>Batches whose sink threw while taking them (counted, never rethrown into the stream).</summary>
    [Id(3)] public long SinkFaults { get; init; }

    /// <summary>
    /// Batches addressed to silos that had left the cluster, drained here (by a stand-in for the departed silo's ingress
    /// activated on this silo) and dropped so that the stream queue they share with live silos moves on.
    /// </summary>
    [Id(6)] public long DroppedSiloLeft { get; init; }

    /// <summary>Rings of the silo's spike fabric leased now (its occupancy, with <see cref="RingCount"/>).</summary>
    [Id(4)] public int LeasedRings { get; init; }

    /// <summary>Rings the silo's spike fabric has.</summary>
    [Id(5)] public int RingCount { get; init; }
}
