namespace NeuroMesh.Supervision.Events;

/// <summary>A child was taken out of supervision (it keeps running).</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.SupervisedChildRemoved")]
public sealed record SupervisedChildRemoved([property: Id(0)] ChildRef Child) : SupervisorEvent;
