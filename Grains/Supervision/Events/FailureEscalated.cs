namespace NeuroMesh.Supervision.Events;

/// <summary>A failure was handed to the parent (or, for a root, could not be): every child was stopped first.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.FailureEscalated")]
public sealed record FailureEscalated([property: Id(0)] string Reason, [property: Id(1)] DateTime At) : SupervisorEvent;
