namespace NeuroMesh.Supervision.Events;

/// <summary>A child was added after the existing ones.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.SupervisedChildAdded")]
public sealed record SupervisedChildAdded([property: Id(0)] ChildRef Child) : SupervisorEvent;
