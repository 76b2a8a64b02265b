namespace NeuroMesh.Simulation;

/// <summary>A sample of a run's synaptic weights (for weight-distribution plots), taken evenly over its synapses.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.weight-sample")]
public sealed record class WeightSample
{
    /// <summary>Synapses the sample was drawn from (the plastic ones when <see cref="Plastic"/>, otherwise all sparse ones).</summary>
    [Id(0)] public long Synapses { get; init; }

    /// <summary>Whether the synapses are the plastic (STDP) ones.</summary>
    [Id(1)] public bool Plastic { get; init; }

    /// <summary>The sampled weights, in the spec's units.</summary>
    [Id(2)] public double[] Weights { get; init; } = [];
}
