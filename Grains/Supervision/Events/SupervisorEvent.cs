namespace NeuroMesh.Supervision.Events;

/// <summary>An event of a supervisor's delta log.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Supervision.Events.SupervisorEvent")]
public abstract record SupervisorEvent;
