namespace NeuroMesh.Simulation.Events;

/// <summary>A listed run paused, stopped or finished.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Simulation.Events.RunUnlisted")]
public sealed record RunUnlisted([property: Id(0)] string RunId) : StartedRunsEvent;
