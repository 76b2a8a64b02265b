using NeuroMesh.Cluster;
using Orleans.Placement;

namespace NeuroMesh.Placement;

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
