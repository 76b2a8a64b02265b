namespace NeuroMesh.Neurons.Events;

/// <summary>A behaviour was bound by its registered name.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.BehaviourBound")]
public sealed record BehaviourBound([property: Id(0)] string Behaviour) : NeuronEvent;
