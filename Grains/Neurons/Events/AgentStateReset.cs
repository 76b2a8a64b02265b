namespace NeuroMesh.Neurons.Events;

/// <summary>The bound behaviour's recorded state was discarded (a supervisor restarting the neuron from its initial state): the deltas before it no longer matter.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.AgentStateReset")]
public sealed record AgentStateReset([property: Id(0)] string Reason) : NeuronEvent;
