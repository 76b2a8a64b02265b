namespace NeuroMesh.Simulation;

/// <summary>What a region shard needs to join a lockstep run: the spec, its place in the plan and where its peers live.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.shard-setup")]
public sealed record class ShardSetup
{
    /// <summary>The run.</summary>
    [Id(0)] public required string RunId { get; init; }

    /// <summary>Distinguishes this placement of the run from earlier ones (a rebuilt run gets a new epoch, so stale batches find no sink).</summary>
    [Id(1)] public required string Epoch { get; init; }

    /// <summary>The spec, as canonical JSON.</summary>
    [Id(2)] public required string SpecJson { get; init; }

    /// <summary>This shard's index in [0, <see cref="SiloKeys"/>.Count).</summary>
    [Id(3)] public required int Index { get; init; }

    /// <summary>For each shard, the parsable address of the silo that hosts it.</summary>
    [Id(4)] public required IReadOnlyList<string> SiloKeys { get; init; }
}
