namespace NeuroMesh.Simulation;

/// <summary>A checkpoint of a run's log: tick, spikes so far and the spike-train hash so far.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.checkpoint-info")]
public sealed record class CheckpointInfo([property: Id(0)] long Tick, [property: Id(1)] long Spikes, [property: Id(2)] string SpikeTrainHash);

/// <summary>What <see cref="ISimulationGrain.Replay"/> rebuilt: the run at <see cref="Tick"/>, and every checkpoint it verified on the way.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.replay-report")]
public sealed record class ReplayReport
{
    /// <summary>The run.</summary>
    [Id(0)] public required string RunId { get; init; }

    /// <summary>The tick replayed to.</summary>
    [Id(1)] public long Tick { get; init; }

    /// <summary>Spikes from tick 0 to <see cref="Tick"/>.</summary>
    [Id(2)] public long Spikes { get; init; }

    /// <summary>The spike-train hash from tick 0 to <see cref="Tick"/>.</summary>
    [Id(3)] public string SpikeTrainHash { get; init; } = string.Empty;

    /// <summary>Every logged checkpoint after <see cref="FromTick"/> up to <see cref="Tick"/>, each reproduced exactly (a mismatch throws instead).</summary>
    [Id(4)] public IReadOnlyList<CheckpointInfo> Verified { get; init; } = [];

    /// <summary>Silos the replay ran on.</summary>
    [Id(5)] public int Silos { get; init; }

    /// <summary>Wall seconds of the replay (placement and engine build included).</summary>
    [Id(6)] public double WallSeconds { get; init; }

    /// <summary>The run's last logged tick; a replay to it leaves the run ready to continue from there without another replay.</summary>
    [Id(7)] public long LoggedTick { get; init; }

    /// <summary>The tick the replay started from: that of the snapshot it restored, or 0 when it ran from the start.</summary>
    [Id(8)] public long FromTick { get; init; }

    /// <summary>The SHA-256 of the snapshot file it restored, or empty when it ran from the start.</summary>
    [Id(9)] public string Snapshot { get; init; } = string.Empty;
}
