using NeuroMesh.Regions;

namespace NeuroMesh.Placement;

/// <summary>
/// Highest-random-weight (rendezvous) hashing of a region over silos: every silo that sees the same silo list picks the
/// same one, and when a silo joins or leaves only the regions that scored highest on it move.
/// </summary>
public static class RendezvousHash
{
    /// <summary>The silo that owns <paramref name="region"/> among <paramref name="silos"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="silos"/> is empty.</exception>
    public static SiloAddress Pick(RegionPath region, IReadOnlyList<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        if (silos.Count == 0)
        {
            throw new ArgumentException($"No silo can host region '{region}': the list of compatible silos is empty.", nameof(silos));
        }

        SiloAddress? best = null;
        string? bestName = null;
        ulong bestScore = 0;
        foreach (var silo in silos)
        {
            var name = silo.ToParsableString();
            var score = Score(region.ToString(), name);
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(name, bestName) < 0))
            {
                (best, bestName, bestScore) = (silo, name, score);
            }
        }

        return best!;
    }

    /// <summary>
    /// The silo that owns <paramref name="region"/> among the active members of <paramref name="snapshot"/>, or null when
    /// none is active. Placement, the neuron itself and the silo meshes all pick from this list, so that they agree
    /// whenever they see the same membership (a silo whose grain manifest has not reached the placing silo yet is still
    /// an active member).
    /// </summary>
    public static SiloAddress? Home(RegionPath region, ClusterMembershipSnapshot snapshot)
    {
        var active = ActiveSilos(snapshot);
        return active.Length == 0 ? null : Pick(region, active);
    }

    /// <summary>The active members of <paramref name="snapshot"/>: the silos regions are hashed over.</summary>
    public static SiloAddress[] ActiveSilos(ClusterMembershipSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];
    }

    /// <summary>A stable 64-bit score of (region, silo): FNV-1a over both, then a SplitMix64 finaliser.</summary>
    internal static ulong Score(string region, string silo) => Hashing.StableHash64.Mix(Hashing.StableHash64.Fnv1a(region + "\n" + silo));
}
