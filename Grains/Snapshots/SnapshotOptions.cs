using NeuroMesh.Engine.Snapshots;

namespace NeuroMesh.Snapshots;

/// <summary>Engine snapshots of lockstep runs, bound from <c>NeuroMesh:Snapshots</c>; see docs/snapshots.md.</summary>
public sealed class SnapshotOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Snapshots";

    /// <summary>
    /// A run writes a snapshot of its engines every this many checkpoints (a background run checkpoints every 1000 ticks,
    /// so 10 is every second of simulated time at dt = 0.1 ms). 0 turns snapshots off: recovery and replay start at tick 0.
    /// </summary>
    public int EveryCheckpoints { get; set; } = 10;

    /// <summary>Snapshots kept per run: older ones are deleted once a newer one is logged. 0 keeps every one.</summary>
    public int Keep { get; set; } = 2;

    /// <summary>
    /// When retention drops snapshots, the run's delta log is compacted too: its state is snapshotted and the events logged
    /// before the oldest kept engine snapshot are removed (its checkpoints stay in the state, so every replay still works;
    /// the plastic-weight diffs of those ticks go).
    /// </summary>
    public bool CompactLog { get; set; } = true;

    /// <summary>
    /// Where snapshots live: <c>directory</c> (files under <see cref="Directory"/>), <c>postgres</c> (the delta log's
    /// PostgreSQL database) or <c>auto</c> (the default: postgres when the delta log is on PostgreSQL, else directory).
    /// </summary>
    public string Backend { get; set; } = "auto";

    /// <summary>
    /// The folder of the directory backend (relative paths are from the node's working directory). Unset: <c>snapshots</c>
    /// beside the delta log's SQLite file (<c>data/snapshots</c> by default), so a node's log and snapshots move together.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>The folder the directory backend uses with the delta log at <paramref name="deltaLog"/>.</summary>
    public string DirectoryFor(Persistence.DeltaLogGrainOptions deltaLog)
        => Directory ?? (deltaLog.Backend.Equals("sqlite", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(deltaLog.Path)
            ? Path.Combine(Path.GetDirectoryName(deltaLog.Path) ?? string.Empty, "snapshots")
            : Path.Combine("data", "snapshots"));

    /// <summary>How the state sections are compressed.</summary>
    public SnapshotCodec Codec { get; set; } = SnapshotCodec.Brotli;

    /// <summary>The backends <see cref="Backend"/> accepts.</summary>
    public static IReadOnlyList<string> Backends { get; } = ["auto", "directory", "postgres"];

    /// <summary>What is wrong with these settings, or null.</summary>
    public string? Problem() => EveryCheckpoints < 0 ? $"{SectionName}:EveryCheckpoints must be 0 or more (got {EveryCheckpoints})"
        : Keep < 0 ? $"{SectionName}:Keep must be 0 (keep all) or more (got {Keep})"
        : !Backends.Contains(Backend.ToLowerInvariant()) ? $"{SectionName}:Backend must be one of {string.Join(", ", Backends)} (got '{Backend}')"
        : Directory is not null && string.IsNullOrWhiteSpace(Directory) ? $"{SectionName}:Directory must name a folder when set"
        : !Enum.IsDefined(Codec) ? $"{SectionName}:Codec must be one of {string.Join(", ", Enum.GetNames<SnapshotCodec>())}"
        : null;
}
