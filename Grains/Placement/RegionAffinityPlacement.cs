using Orleans.Placement;

namespace NeuroMesh.Placement;

/// <summary>
/// Places every neuron grain of one region on one silo: the silo that <see cref="RendezvousHash"/> picks for the
/// neuron's region (read from <see cref="Regions.IRegionAssignmentsGrain"/>) among the compatible silos. A neuron with no
/// region yet is placed on the calling silo.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class RegionAffinityPlacement : PlacementStrategy
{
    internal static RegionAffinityPlacement Singleton { get; } = new();
}
