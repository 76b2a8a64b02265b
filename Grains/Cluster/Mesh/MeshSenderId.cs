namespace NeuroMesh.Cluster;

/// <summary>
/// The 64-bit sender id that a silo writes into the frames of its mesh traffic: FNV-1a over its parsable address, which
/// includes the silo's generation, so a restarted silo starts a fresh sequence at every receiver.
/// </summary>
public static class MeshSenderId
{
    /// <summary>The sender id of <paramref name="silo"/>.</summary>
    public static ulong Of(SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Hashing.StableHash64.Fnv1a(silo.ToParsableString()); // ASCII, so the same as over its characters
    }
}
