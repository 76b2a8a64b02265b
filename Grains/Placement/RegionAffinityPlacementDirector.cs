using System.Collections.Concurrent;
using NeuroMesh.Regions;
using Orleans.Runtime.Placement;

namespace NeuroMesh.Placement;

/// <summary>
/// The director of <see cref="RegionAffinityPlacement"/>. Assignments never change once made, so a region found for a
/// neuron is cached; a neuron with none yet is looked up again next time. The region's silo is picked among the active
/// members (<see cref="RendezvousHash.Home"/>), as the meshes and the neuron pick it, not among the silos whose grain
/// manifest this silo has received, which lags membership and could split a region while a silo joins.
/// </summary>
internal sealed class RegionAffinityPlacementDirector(IGrainFactory grains, IClusterMembershipService membership) : IPlacementDirector
{
    private readonly ConcurrentDictionary<uint, RegionPath> _regions = new();

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var key = target.GrainIdentity.GetIntegerKey();
        if (key is >= 0 and < uint.MaxValue)
        {
            var id = (uint)key;
            if (!_regions.TryGetValue(id, out var region))
            {
                var found = await grains.GetGrain<IRegionAssignmentsGrain>(0).RegionOf(id);
                if (found is not null && RegionPath.TryParse(found, out region))
                {
                    _regions[id] = region;
                }
                else
                {
                    return Fallback(context, compatible);
                }
            }

            return RendezvousHash.Home(region, membership.CurrentSnapshot) ?? RendezvousHash.Pick(region, compatible);
        }

        return Fallback(context, compatible);
    }

    private static SiloAddress Fallback(IPlacementContext context, SiloAddress[] compatible)
        => Array.IndexOf(compatible, context.LocalSilo) >= 0 ? context.LocalSilo : compatible[0];
}
