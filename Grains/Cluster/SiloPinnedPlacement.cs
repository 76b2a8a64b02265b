using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace NeuroMesh.Cluster;

/// <summary>
/// Places a grain on the silo its key names (see <see cref="SiloKey"/>): the per-silo fabric ingress, and the region
/// shards that a run's planner has assigned to a silo. Placement fails with a clear error when that silo is not an
/// active member of the cluster; the grain is never placed anywhere else.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    internal static SiloPinnedPlacement Singleton { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloPinnedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloPinnedPlacementAttribute()
        : base(SiloPinnedPlacement.Singleton)
    {
    }
}

/// <summary>The director of <see cref="SiloPinnedPlacement"/>.</summary>
internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloKey.Parse(key);
        var compatible = context.GetCompatibleSilos(target);
        if (Array.IndexOf(compatible, silo) < 0)
        {
            throw new OrleansException(
                $"grain {target.GrainIdentity} is pinned to silo {silo}, which is not an active silo of this cluster (active: {string.Join(", ", compatible.Select(s => s.ToString()))})");
        }

        return Task.FromResult(silo);
    }
}
