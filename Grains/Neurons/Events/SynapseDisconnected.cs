namespace NeuroMesh.Neurons.Events;

/// <summary>The outgoing synapse to a target was removed.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.SynapseDisconnected")]
public sealed record SynapseDisconnected([property: Id(0)] uint Target) : NeuronEvent;
