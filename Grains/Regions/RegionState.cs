namespace NeuroMesh.Regions;

/// <summary>The logged state of a region grain.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Regions.RegionState")]
public sealed class RegionState
{
    /// <summary>Stand-alone member neurons.</summary>
    [Id(0)] public SortedSet<uint> Members { get; set; } = [];

    /// <summary>Populations of the region's spec slices.</summary>
    [Id(1)] public List<PopulationSlice> Populations { get; set; } = [];

    /// <summary>Projections touching those populations.</summary>
    [Id(2)] public List<ProjectionSlice> Projections { get; set; } = [];

    /// <summary>Child regions that recorded something.</summary>
    [Id(3)] public List<RegionPath> Children { get; set; } = [];

    /// <summary>Cards of the subtree by neuron id, with their owning region.</summary>
    [Id(4)] public SortedDictionary<uint, CardEntry> Cards { get; set; } = [];
}
