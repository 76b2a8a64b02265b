namespace NeuroMesh.Simulation.Events;

/// <summary>A run was started in the background.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Simulation.Events.RunListed")]
public sealed record RunListed([property: Id(0)] string RunId) : StartedRunsEvent;
