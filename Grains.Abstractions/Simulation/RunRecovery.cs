namespace NeuroMesh.Simulation;

/// <summary>
/// One recovery of a run from a lost silo, as the run's log records it: the checkpoint tick it rolled back to, the silos
/// of its placement that had left the cluster, and the failure that showed it (for a loss during a window, the window
/// and the silos), and the snapshot it was to restore (<paramref name="SnapshotTick"/>, -1: none, replayed from tick 0).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Simulation.RunRecovery")]
public sealed record RunRecovery([property: Id(0)] long Tick, [property: Id(1)] IReadOnlyList<string> LostSilos, [property: Id(2)] string Reason, [property: Id(3)] long SnapshotTick = -1);
