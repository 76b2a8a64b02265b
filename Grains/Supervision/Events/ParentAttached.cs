namespace NeuroMesh.Supervision.Events;

/// <summary>The supervisor became a child of another supervisor.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.ParentAttached")]
public sealed record ParentAttached([property: Id(0)] string Parent) : SupervisorEvent;
