using NeuroMesh.Cluster;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace NeuroMesh.Placement;

/// <summary>The director of <see cref="SiloPinnedPlacement"/> and <see cref="SiloIngressPlacement"/>.</summary>
internal sealed class SiloPinnedPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloKey.Parse(key);
        var compatible = context.GetCompatibleSilos(target);
        if (Array.IndexOf(compatible, silo) >= 0)
        {
            return Task.FromResult(silo);
        }

        if (strategy is SiloIngressPlacement && compatible.Length > 0 && SiloDeparture.HasLeft(membership.CurrentSnapshot, silo))
        {
            return Task.FromResult(Array.IndexOf(compatible, context.LocalSilo) >= 0 ? context.LocalSilo : compatible[0]);
        }

        throw new OrleansException(
            $"grain {target.GrainIdentity} is pinned to silo {silo}, which is not an active silo of this cluster (active: {string.Join(", ", compatible.Select(s => s.ToString()))})");
    }
}
