namespace NeuroMesh.Simulation.Events;

/// <summary>
/// At the checkpoint of <paramref name="Tick"/> the run moved from <paramref name="FromSilos"/> to <paramref name="Silos"/>
/// silos, restoring the snapshot of <paramref name="SnapshotTick"/> there (-1: none could be taken; rebuilt by replay).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunRescaled(
    [property: Id(0)] long Tick,
    [property: Id(1)] int FromSilos,
    [property: Id(2)] int Silos,
    [property: Id(3)] long SnapshotTick) : SimulationEvent;
