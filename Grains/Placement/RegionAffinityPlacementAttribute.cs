using Orleans.Placement;

namespace NeuroMesh.Placement;

/// <summary>Marks a grain class with an integer key (a neuron id) as placed by <see cref="RegionAffinityPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RegionAffinityPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public RegionAffinityPlacementAttribute()
        : base(RegionAffinityPlacement.Singleton)
    {
    }
}
