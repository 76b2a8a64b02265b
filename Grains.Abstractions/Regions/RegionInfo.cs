using System.Collections.Immutable;

namespace NeuroMesh.Regions;

/// <summary>What a region grain holds.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.RegionInfo")]
public sealed record RegionInfo
{
    /// <summary>The region's path.</summary>
    [Id(0)] public RegionPath Path { get; init; }

    /// <summary>Stand-alone member neurons, ascending.</summary>
    [Id(1)] public ImmutableArray<uint> Members { get; init; } = [];

    /// <summary>Populations of the region's spec slice.</summary>
    [Id(2)] public ImmutableArray<PopulationSlice> Populations { get; init; } = [];

    /// <summary>Projections that start or end in the region's populations.</summary>
    [Id(3)] public ImmutableArray<ProjectionSlice> Projections { get; init; } = [];

    /// <summary>Child regions that have recorded something, in path order.</summary>
    [Id(4)] public ImmutableArray<RegionPath> Children { get; init; } = [];

    /// <summary>Cards this region owns.</summary>
    [Id(5)] public int OwnCards { get; init; }

    /// <summary>Cards of the whole subtree (own plus descendants').</summary>
    [Id(6)] public int SubtreeCards { get; init; }

    /// <summary>The silo whose activation answered (parsable address), so a supervisor can tell when it is lost.</summary>
    [Id(7)] public string Silo { get; init; } = string.Empty;

    /// <summary>The activation that answered (a new one after a restart).</summary>
    [Id(8)] public string Activation { get; init; } = string.Empty;

    /// <summary>Neurons in the region: stand-alone members plus every population's size.</summary>
    public long NeuronCount => Members.Length + Populations.Sum(p => (long)p.Size);
}
