using System.Collections.Immutable;

namespace NeuroMesh.Supervision;

/// <summary>A supervisor's configuration, children (in start order), parent and history.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.SupervisorStatus")]
public sealed record SupervisorStatus
{
    /// <summary>The supervisor's id.</summary>
    [Id(0)] public string Id { get; init; } = string.Empty;

    /// <summary>Its configuration.</summary>
    [Id(1)] public SupervisorConfig Config { get; init; } = new();

    /// <summary>Its parent supervisor's id, or null for a root.</summary>
    [Id(2)] public string? Parent { get; init; }

    /// <summary>Its children in start order.</summary>
    [Id(3)] public ImmutableArray<SupervisedChild> Children { get; init; } = [];

    /// <summary>Every Resume, Restart and Stop it recorded, oldest first.</summary>
    [Id(4)] public ImmutableArray<RestartRecord> History { get; init; } = [];

    /// <summary>The failures it handed to its parent (or, for a root, could not hand on), oldest first.</summary>
    [Id(5)] public ImmutableArray<string> Escalations { get; init; } = [];

    /// <summary>The silo this supervisor is active on.</summary>
    [Id(6)] public string Silo { get; init; } = string.Empty;

    /// <summary>Health-check passes run by this activation.</summary>
    [Id(7)] public long Checks { get; init; }

    /// <summary>The version of its delta log.</summary>
    [Id(8)] public int Version { get; init; }
}
