namespace NeuroMesh.Persistence;

/// <summary>How event-sourced grains use the delta log, bound from <c>NeuroMesh:DeltaLog</c>.</summary>
public sealed class DeltaLogGrainOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:DeltaLog";

    /// <summary>The name of the log-consistency provider the grains use.</summary>
    public const string ProviderName = "DeltaLog";

    /// <summary>The backend: <c>sqlite</c> (the embedded default) or <c>postgres</c>.</summary>
    public string Backend { get; set; } = "sqlite";

    /// <summary>SQLite: the database file (created on first use).</summary>
    public string Path { get; set; } = "data/deltalog.db";

    /// <summary>PostgreSQL: the connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A grain writes a snapshot of its state every this many events (0: never).</summary>
    public int SnapshotEvery { get; set; } = 1000;

    /// <summary>
    /// A neuron grain compacts its log (a state snapshot, then the deltas behind it removed) when its behaviour's state
    /// delta that replaces the earlier ones is confirmed and at least this many events lie behind the last compaction
    /// (0: never). Its state holds everything those events built, so nothing confirmed is lost.
    /// </summary>
    public int AgentLogCompactAfter { get; set; } = 256;
}
