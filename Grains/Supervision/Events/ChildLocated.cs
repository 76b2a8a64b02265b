namespace NeuroMesh.Supervision.Events;

/// <summary>A child answered from a silo other than the one last recorded (so that its loss is noticed after this supervisor restarts).</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.ChildLocated")]
public sealed record ChildLocated([property: Id(0)] ChildRef Child, [property: Id(1)] string Silo) : SupervisorEvent;
