namespace NeuroMesh.Simulation.Events;

/// <summary>
/// Silos of the run's placement left the cluster at <paramref name="Tick"/> (the last common checkpoint): the window in
/// progress was dropped, and the run was placed again on the silos that remain and rebuilt to that checkpoint, from the
/// engine snapshot of <paramref name="SnapshotTick"/> (-1: none, from tick 0).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunRecovered([property: Id(0)] long Tick, [property: Id(1)] string[] LostSilos, [property: Id(2)] string Reason, [property: Id(3)] long SnapshotTick = -1) : SimulationEvent;
