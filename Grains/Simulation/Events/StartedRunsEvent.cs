namespace NeuroMesh.Simulation.Events;

/// <summary>An event of the started-runs list's delta log.</summary>
[GenerateSerializer]
public abstract record StartedRunsEvent;
