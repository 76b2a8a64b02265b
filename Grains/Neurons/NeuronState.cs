using System.Collections.Immutable;
using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Neurons;

/// <summary>The logged state of a neuron grain.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Neurons.NeuronState")]
public sealed class NeuronState
{
    /// <summary>True once <see cref="INeuronGrain.Configure"/> was confirmed.</summary>
    [Id(0)] public bool Configured { get; set; }

    /// <summary>The neuron's region.</summary>
    [Id(1)] public RegionPath Region { get; set; }

    /// <summary>Ticks of silence after a firing tick.</summary>
    [Id(2)] public int RefractoryTicks { get; set; }

    /// <summary>Model parameters by name.</summary>
    [Id(3)] public ImmutableSortedDictionary<string, double> Params { get; set; } = ImmutableSortedDictionary<string, double>.Empty;

    /// <summary>The bound behaviour's name, or null.</summary>
    [Id(4)] public string? Behaviour { get; set; }

    /// <summary>The published card, or null.</summary>
    [Id(5)] public AgentCard? Card { get; set; }

    /// <summary>Outgoing synapses by target.</summary>
    [Id(6)] public SortedDictionary<uint, OutgoingSynapse> Synapses { get; set; } = [];

    /// <summary>The bound behaviour's state deltas since its last whole-state delta, in order (restored into a fresh behaviour).</summary>
    [Id(7)] public List<byte[]> AgentState { get; set; } = [];

    /// <summary>State deltas logged for this neuron in all.</summary>
    [Id(8)] public long StateDeltas { get; set; }
}
