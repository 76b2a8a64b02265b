namespace NeuroMesh.Neurons.Events;

/// <summary>The neuron was configured: its region, refractory period and parameters.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.NeuronConfigured")]
public sealed record NeuronConfigured([property: Id(0)] NeuroMesh.Neurons.NeuronConfig Config) : NeuronEvent;
