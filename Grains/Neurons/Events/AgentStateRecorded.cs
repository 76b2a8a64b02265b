namespace NeuroMesh.Neurons.Events;

/// <summary>
/// A delta of the bound behaviour's state (opaque bytes the behaviour recorded); with <paramref name="ReplacesEarlier"/> it
/// stands for the whole state and the earlier deltas no longer matter.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.AgentStateRecorded")]
public sealed record AgentStateRecorded([property: Id(0)] byte[] Delta, [property: Id(1)] bool ReplacesEarlier) : NeuronEvent;
