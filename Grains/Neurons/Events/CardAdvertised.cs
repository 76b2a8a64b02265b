namespace NeuroMesh.Neurons.Events;

/// <summary>The neuron's agent card was published in its region.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.CardAdvertised")]
public sealed record CardAdvertised([property: Id(0)] NeuroMesh.Agents.AgentCard Card) : NeuronEvent;
