namespace NeuroMesh.Simulation.Events;

/// <summary>The snapshots of <paramref name="Ticks"/> left the retention window and were deleted from the store.</summary>
[GenerateSerializer, Immutable]
public sealed record SnapshotsDropped([property: Id(0)] long[] Ticks) : SimulationEvent;
