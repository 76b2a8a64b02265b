namespace NeuroMesh.Simulation.Events;

/// <summary>The run was stopped for good at <paramref name="Tick"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record RunStopped([property: Id(0)] long Tick) : SimulationEvent;
