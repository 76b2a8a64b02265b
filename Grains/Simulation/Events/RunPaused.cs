namespace NeuroMesh.Simulation.Events;

/// <summary>A background run stopped advancing: asked to pause, or it failed (<paramref name="Reason"/> says which); it is not resumed by itself.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Simulation.Events.RunPaused")]
public sealed record RunPaused([property: Id(0)] long Tick, [property: Id(1)] string Reason) : SimulationEvent;
