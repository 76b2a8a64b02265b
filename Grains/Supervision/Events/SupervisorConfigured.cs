namespace NeuroMesh.Supervision.Events;

/// <summary>The supervisor's settings were replaced.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.SupervisorConfigured")]
public sealed record SupervisorConfigured([property: Id(0)] SupervisorConfig Config) : SupervisorEvent;
