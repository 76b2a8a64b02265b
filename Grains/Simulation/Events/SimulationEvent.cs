namespace NeuroMesh.Simulation.Events;

/// <summary>An event of a simulation run's delta log.</summary>
[GenerateSerializer]
public abstract record SimulationEvent;
