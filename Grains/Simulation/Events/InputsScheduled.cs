namespace NeuroMesh.Simulation.Events;

/// <summary>External inputs were accepted for future ticks of the run (each at or after the run's tick when scheduled).</summary>
/// <param name="Inputs">The inputs, in the order given.</param>
[GenerateSerializer, Immutable]
public sealed record InputsScheduled([property: Id(0)] ExternalInput[] Inputs) : SimulationEvent;
