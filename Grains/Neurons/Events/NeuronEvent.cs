namespace NeuroMesh.Neurons.Events;

/// <summary>An event of a neuron's delta log.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Neurons.Events.NeuronEvent")]
public abstract record NeuronEvent;
