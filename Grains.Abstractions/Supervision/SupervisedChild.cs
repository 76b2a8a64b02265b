namespace NeuroMesh.Supervision;

/// <summary>A child as its supervisor sees it.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.SupervisedChild")]
public sealed record SupervisedChild
{
    /// <summary>The child.</summary>
    [Id(0)] public required ChildRef Child { get; init; }

    /// <summary>False once a Stop directive (or the supervisor's own stop) took it out of supervision.</summary>
    [Id(1)] public bool Running { get; init; }

    /// <summary>The silo it answered the last health check from (empty until checked, and for regions, which do not say).</summary>
    [Id(2)] public string Silo { get; init; } = string.Empty;

    /// <summary>Health checks missed in a row.</summary>
    [Id(3)] public int MissedChecks { get; init; }

    /// <summary>Restarts of this child recorded in the supervisor's log.</summary>
    [Id(4)] public int Restarts { get; init; }
}
