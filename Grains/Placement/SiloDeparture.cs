namespace NeuroMesh.Placement;

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
