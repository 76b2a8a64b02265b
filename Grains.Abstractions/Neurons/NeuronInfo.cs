using System.Collections.Immutable;
using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Neurons;

/// <summary>What a neuron grain knows about its neuron.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.NeuronInfo")]
public sealed record NeuronInfo
{
    /// <summary>The neuron id.</summary>
    [Id(0)] public uint Id { get; init; }

    /// <summary>The region the neuron belongs to.</summary>
    [Id(1)] public RegionPath Region { get; init; }

    /// <summary>The population the neuron belongs to (from its region's spec slice), or null for a stand-alone neuron.</summary>
    [Id(2)] public string? Population { get; init; }

    /// <summary>Ticks of silence after a firing tick.</summary>
    [Id(3)] public int RefractoryTicks { get; init; }

    /// <summary>Model parameters by name.</summary>
    [Id(4)] public ImmutableSortedDictionary<string, double> Params { get; init; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>The bound behaviour's registered name, or null.</summary>
    [Id(5)] public string? Behaviour { get; init; }

    /// <summary>The published agent card, or null.</summary>
    [Id(6)] public AgentCard? Card { get; init; }

    /// <summary>Outgoing synapses, by target id.</summary>
    [Id(7)] public ImmutableArray<OutgoingSynapse> Synapses { get; init; } = [];
}
