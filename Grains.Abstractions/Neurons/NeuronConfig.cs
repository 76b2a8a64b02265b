using System.Collections.Immutable;
using NeuroMesh.Regions;

namespace NeuroMesh.Neurons;

/// <summary>How a neuron is configured: the region it belongs to, its refractory period and its model parameters.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.NeuronConfig")]
public sealed record NeuronConfig
{
    /// <summary>The region the neuron belongs to (not the root).</summary>
    [Id(0)] public RegionPath Region { get; init; }

    /// <summary>Ticks of silence after a firing tick (0 or more).</summary>
    [Id(1)] public int RefractoryTicks { get; init; }

    /// <summary>Model parameters by name (for example <c>tauM</c>, <c>vThreshold</c>); every value finite.</summary>
    [Id(2)] public ImmutableSortedDictionary<string, double> Params { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>Null when valid, otherwise why not (naming the field).</summary>
    public string? Problem()
    {
        if (Region.IsRoot)
        {
            return "NeuronConfig.Region: a neuron belongs to a region such as 'cortex/motor', not to the root '/'.";
        }

        if (RefractoryTicks < 0)
        {
            return $"NeuronConfig.RefractoryTicks: must be 0 or more (got {RefractoryTicks}).";
        }

        foreach (var (name, value) in Params ?? ImmutableSortedDictionary<string, double>.Empty)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return "NeuronConfig.Params: a parameter name is empty.";
            }

            if (!double.IsFinite(value))
            {
                return $"NeuronConfig.Params['{name}']: must be finite (got {value}).";
            }
        }

        return null;
    }
}
