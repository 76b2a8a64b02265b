namespace NeuroMesh.Supervision.Events;

/// <summary>The parent restarted this supervisor's subtree: every child runs again and the restart window starts afresh.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Supervision.Events.SubtreeRestarted")]
public sealed record SubtreeRestarted([property: Id(0)] string Reason, [property: Id(1)] DateTime At) : SupervisorEvent;
