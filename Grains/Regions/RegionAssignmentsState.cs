namespace NeuroMesh.Regions;

/// <summary>The logged state of the placement map: stand-alone neurons and population ranges, each with its region.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Regions.RegionAssignmentsState")]
public sealed class RegionAssignmentsState
{
    /// <summary>Stand-alone neurons.</summary>
    [Id(0)] public Dictionary<uint, RegionPath> Neurons { get; set; } = [];

    /// <summary>Population ranges: first neuron, count, region.</summary>
    [Id(1)] public List<(uint First, int Count, RegionPath Region)> Ranges { get; set; } = [];

    /// <summary>The region of a neuron, or null.</summary>
    public RegionPath? RegionOf(uint neuronId)
    {
        if (Neurons.TryGetValue(neuronId, out var region))
        {
            return region;
        }

        foreach (var (first, count, owner) in Ranges)
        {
            if (neuronId >= first && neuronId - first < (uint)count)
            {
                return owner;
            }
        }

        return null;
    }
}
