using System.Collections.Concurrent;

namespace NeuroMesh.Cluster;

/// <summary>
/// The silos running in this process, by silo key, each with its <see cref="FabricIngressRouter"/> and
/// <see cref="MeshIngress"/>: what the <see cref="CrossSiloTransport.Push"/> transport hands frames to directly when a
/// destination silo is here. A silo is listed while it is active (<see cref="InProcessSiloLifecycle"/>): it joins once
/// its runtime is up and leaves first thing when it stops, so nothing is handed to a stopping silo; a silo not listed is
/// reached by a grain call.
/// </summary>
public static class InProcessSilos
{
    private static readonly ConcurrentDictionary<string, InProcessSilo> Silos = new(StringComparer.Ordinal);

    /// <summary>The silo with key <paramref name="siloKey"/> when it is active in this process.</summary>
    public static bool TryGet(string siloKey, out InProcessSilo silo) => Silos.TryGetValue(siloKey, out silo!);

    internal static void Add(string siloKey, InProcessSilo silo) => Silos[siloKey] = silo;

    internal static void Remove(string siloKey, InProcessSilo silo) => Silos.TryRemove(new KeyValuePair<string, InProcessSilo>(siloKey, silo));
}
