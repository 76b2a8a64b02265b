namespace NeuroMesh.Neurons;

/// <summary>One outgoing synapse of a neuron: its target, weight and delay.</summary>
/// <param name="Target">The postsynaptic neuron id.</param>
/// <param name="Weight">The synaptic weight (finite).</param>
/// <param name="DelayMs">The transmission delay in ms (0 or more, finite).</param>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.OutgoingSynapse")]
public sealed record OutgoingSynapse([property: Id(0)] uint Target, [property: Id(1)] double Weight, [property: Id(2)] double DelayMs = 0);
