namespace NeuroMesh.Supervision;

/// <summary>The logged state of a supervisor grain.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Supervision.SupervisorState")]
public sealed class SupervisorState
{
    /// <summary>The settings.</summary>
    [Id(0)] public SupervisorConfig Config { get; set; } = new();

    /// <summary>The parent supervisor, or null.</summary>
    [Id(1)] public string? Parent { get; set; }

    /// <summary>The children in start order.</summary>
    [Id(2)] public List<ChildRef> Children { get; set; } = [];

    /// <summary>The children taken out of service by a Stop (or an escalation).</summary>
    [Id(3)] public HashSet<ChildRef> Stopped { get; set; } = [];

    /// <summary>Every Resume, Restart and Stop, oldest first.</summary>
    [Id(4)] public List<RestartRecord> History { get; set; } = [];

    /// <summary>Every escalation, oldest first.</summary>
    [Id(5)] public List<string> Escalations { get; set; } = [];

    /// <summary>Restarts before this moment do not count towards the intensity (the parent restarted the subtree).</summary>
    [Id(6)] public DateTime WindowStart { get; set; }

    /// <summary>The silo each child last answered from.</summary>
    [Id(7)] public Dictionary<ChildRef, string> Silos { get; set; } = [];
}
