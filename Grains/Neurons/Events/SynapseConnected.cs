namespace NeuroMesh.Neurons.Events;

/// <summary>An outgoing synapse was added or changed.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.SynapseConnected")]
public sealed record SynapseConnected([property: Id(0)] NeuroMesh.Neurons.OutgoingSynapse Synapse) : NeuronEvent;
