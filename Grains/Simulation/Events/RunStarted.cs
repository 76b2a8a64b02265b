namespace NeuroMesh.Simulation.Events;

/// <summary>The run was started in the background at <paramref name="Pace"/> (0: as fast as it can); until paused, stopped or finished, an activation of the run's grain carries on with it.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Simulation.Events.RunStarted")]
public sealed record RunStarted([property: Id(0)] double Pace) : SimulationEvent;
