namespace NeuroMesh.Supervision.Events;

/// <summary>The supervisor's parent removed it.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.ParentDetached")]
public sealed record ParentDetached([property: Id(0)] string Parent) : SupervisorEvent;
