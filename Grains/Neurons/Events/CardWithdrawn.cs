namespace NeuroMesh.Neurons.Events;

/// <summary>The neuron's agent card was removed from its region.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.CardWithdrawn")]
public sealed record CardWithdrawn : NeuronEvent;
