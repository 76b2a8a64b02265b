namespace NeuroMesh.Supervision.Events;

/// <summary>A failure was acted on for one child: resumed, restarted (after its backoff) or stopped.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.ChildActedOn")]
public sealed record ChildActedOn([property: Id(0)] RestartRecord Record) : SupervisorEvent;
