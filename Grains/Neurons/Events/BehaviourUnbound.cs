namespace NeuroMesh.Neurons.Events;

/// <summary>The behaviour was unbound.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.BehaviourUnbound")]
public sealed record BehaviourUnbound : NeuronEvent;
