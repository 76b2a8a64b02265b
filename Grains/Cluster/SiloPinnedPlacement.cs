using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace NeuroMesh.Cluster;

/// <summary>
/// Places a grain on the silo its key names (see <see cref="SiloKey"/>): the region shards that a run's planner has
/// assigned to a silo, a silo's GPU worker and mesh ingress. Placement fails with a clear error when that silo is not an
/// active member of the cluster; the grain is never placed anywhere else.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    internal static SiloPinnedPlacement Singleton { get; } = new();
}

/// <summary>
/// Places a silo's stream ingress (<see cref="FabricIngressGrain"/>) on the silo its key names while that silo is a
/// member; once the silo has left the cluster (it is shutting down, stopping or dead, or a newer generation holds its
/// endpoint), on the silo that asks, where the grain drains what is still addressed to the departed silo.
/// </summary>
/// <remarks>
/// A stream's pulling agent looks up the consumer of a stream it meets for the first time before it reads its queue
/// again, and Orleans retries that lookup for a minute (<c>MaxEventDeliveryTime</c>). Frames for a departed silo keep
/// coming for a while (senders learn of the loss late, and a queue taken over by another silo meets its streams anew);
/// with <see cref="SiloPinnedPlacement"/> their consumer could be placed nowhere, and every live stream of that queue
/// waited the minute. A drain answers at once and counts what it drops.
/// </remarks>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloIngressPlacement : PlacementStrategy
{
    internal static SiloIngressPlacement Singleton { get; } = new();
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

/// <summary>Marks a grain class as placed by <see cref="SiloIngressPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloIngressPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SiloIngressPlacementAttribute()
        : base(SiloIngressPlacement.Singleton)
    {
    }
}

/// <summary>Whether a silo named by a pinned grain's key has left the cluster for good.</summary>
public static class SiloDeparture
{
    /// <summary>
    /// True when <paramref name="silo"/> is shutting down, stopping or dead in <paramref name="snapshot"/>, or a newer
    /// generation of it (a restart on the same endpoint) is a member: an address with its generation never comes back. A
    /// silo the snapshot does not know (not joined yet, or long removed) has not left by this test.
    /// </summary>
    public static bool HasLeft(ClusterMembershipSnapshot snapshot, SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(silo);
        if (snapshot.GetSiloStatus(silo).IsTerminating())
        {
            return true;
        }

        foreach (var member in snapshot.Members.Keys)
        {
            if (member.Endpoint.Equals(silo.Endpoint) && member.Generation > silo.Generation)
            {
                return true;
            }
        }

        return false;
    }
}

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
