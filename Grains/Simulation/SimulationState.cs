namespace NeuroMesh.Simulation;

/// <summary>The logged state of a run: its spec and its checkpoints.</summary>
[GenerateSerializer]
public sealed class SimulationState
{
    /// <summary>The deployed spec (canonical JSON), or null.</summary>
    [Id(0)] public string? SpecJson { get; set; }

    /// <summary>SHA-256 of the spec.</summary>
    [Id(1)] public string SpecHash { get; set; } = string.Empty;

    /// <summary>The seed.</summary>
    [Id(2)] public ulong Seed { get; set; }

    /// <summary>Ticks in the spec's duration.</summary>
    [Id(3)] public long TotalTicks { get; set; }

    /// <summary>Every checkpoint, in tick order.</summary>
    [Id(4)] public List<Events.RunCheckpointed> Checkpoints { get; set; } = [];

    /// <summary>True once stopped for good.</summary>
    [Id(5)] public bool Stopped { get; set; }

    /// <summary>Silos requested at deploy (0: every active silo).</summary>
    [Id(6)] public int Silos { get; set; }

    /// <summary>Every external input scheduled, in the order they were accepted.</summary>
    [Id(7)] public List<ExternalInput> Inputs { get; set; } = [];

    /// <summary>Plastic weight changes logged so far (summed over the <see cref="Events.WeightsChanged"/> diffs).</summary>
    [Id(8)] public long WeightChanges { get; set; }

    /// <summary>Every recovery from a lost silo, oldest first.</summary>
    [Id(9)] public List<Events.RunRecovered> Recoveries { get; set; } = [];

    /// <summary>True from a <see cref="Events.RunStarted"/> until a <see cref="Events.RunPaused"/>: the run should be advancing in the background.</summary>
    [Id(10)] public bool Started { get; set; }

    /// <summary>The pace of the latest start (simulated seconds per wall-clock second; 0: as fast as it can).</summary>
    [Id(11)] public double Pace { get; set; }

    /// <summary>The engine snapshots kept (logged and not dropped by retention), in tick order.</summary>
    [Id(12)] public List<Events.RunSnapshotted> Snapshots { get; set; } = [];

    /// <summary>The tick the run began at: 0, or that of the snapshot it was forked or imported from.</summary>
    [Id(13)] public long BaseTick { get; set; }

    /// <summary>The fork or import the run began with, or null.</summary>
    [Id(14)] public Events.RunForked? Origin { get; set; }

    /// <summary>Why the last step or background run failed, from its <see cref="Events.RunPaused"/>; cleared by a checkpoint or a start.</summary>
    [Id(15)] public string? Error { get; set; }

    /// <summary>Checkpoint events the log holds twice, applied once (see <c>SimulationGrain.TransitionState</c>).</summary>
    [Id(16)] public int DuplicateCheckpoints { get; set; }

    /// <summary>The last checkpoint's tick (0 before the first).</summary>
    public long Tick => Checkpoints.Count == 0 ? 0 : Checkpoints[^1].Tick;
}
