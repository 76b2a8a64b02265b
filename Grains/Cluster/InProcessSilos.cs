using System.Collections.Concurrent;

namespace NeuroMesh.Cluster;

/// <summary>
/// The silos running in this process, by silo key, each with its <see cref="FabricIngressRouter"/>: what the
/// <see cref="LockstepTransport.Push"/> transport hands frames to directly when a peer shard's silo is here. A silo is
/// listed while it is active (<see cref="InProcessSiloLifecycle"/>): it joins once its runtime is up and leaves first
/// thing when it stops, so nothing is handed to a stopping silo; a peer not listed is reached by a grain call.
/// </summary>
public static class InProcessSilos
{
    private static readonly ConcurrentDictionary<string, FabricIngressRouter> Routers = new(StringComparer.Ordinal);

    /// <summary>The router of the silo with key <paramref name="siloKey"/> when that silo is active in this process.</summary>
    public static bool TryGet(string siloKey, out FabricIngressRouter router) => Routers.TryGetValue(siloKey, out router!);

    internal static void Add(string siloKey, FabricIngressRouter router) => Routers[siloKey] = router;

    internal static void Remove(string siloKey, FabricIngressRouter router)
        => Routers.TryRemove(new KeyValuePair<string, FabricIngressRouter>(siloKey, router));
}
