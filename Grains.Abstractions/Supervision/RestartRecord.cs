namespace NeuroMesh.Supervision;

/// <summary>One thing a supervisor did about a failure, as its delta log records it.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.RestartRecord")]
public sealed record RestartRecord
{
    /// <summary>The child acted on.</summary>
    [Id(0)] public required ChildRef Child { get; init; }

    /// <summary>The failure that caused it.</summary>
    [Id(1)] public FailureKind Kind { get; init; }

    /// <summary>What was done: Resume, Restart or Stop of this child (Escalate is recorded in <see cref="SupervisorStatus.Escalations"/>).</summary>
    [Id(2)] public SupervisorDirective Directive { get; init; }

    /// <summary>The child that failed (differs from <see cref="Child"/> when the strategy restarts a sibling with it).</summary>
    [Id(3)] public required ChildRef FailedChild { get; init; }

    /// <summary>Why: the failure's description.</summary>
    [Id(4)] public string Reason { get; init; } = string.Empty;

    /// <summary>The backoff waited before the restart, in ms (0 for Resume and Stop).</summary>
    [Id(5)] public double DelayMs { get; init; }

    /// <summary>Which restart of this child within the intensity window it was (1 = first).</summary>
    [Id(6)] public int Attempt { get; init; }

    /// <summary>When it was done (UTC).</summary>
    [Id(7)] public DateTime At { get; init; }

    /// <summary>The silo the child answered from after the restart (empty when not known).</summary>
    [Id(8)] public string Silo { get; init; } = string.Empty;

    /// <summary>What a restarted child was rebuilt to (the supervisor's <see cref="SupervisorConfig.RestartFrom"/> at the time; LastCheckpoint for Resume and Stop).</summary>
    [Id(9)] public RestartFrom From { get; init; }
}
