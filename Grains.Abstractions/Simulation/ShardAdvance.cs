namespace NeuroMesh.Simulation;

/// <summary>What a region shard fired while it advanced.</summary>
/// <param name="Index">The shard.</param>
/// <param name="Tick">Its tick afterwards.</param>
/// <param name="Spikes">Its neurons' spikes as <c>(tick &lt;&lt; 32) | neuron</c>, ascending.</param>
/// <param name="Weights">The plastic weights of its neurons' incoming synapses that changed while it advanced.</param>
[GenerateSerializer, Immutable, Alias("neuromesh.shard-advance")]
public sealed record class ShardAdvance(
    [property: Id(0)] int Index,
    [property: Id(1)] long Tick,
    [property: Id(2)] long[] Spikes,
    [property: Id(3)] PlasticWeightDiff Weights);
