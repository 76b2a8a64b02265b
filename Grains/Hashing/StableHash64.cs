using System.Text;

namespace NeuroMesh.Hashing;

/// <summary>
/// The stable (process- and platform-independent) 64-bit hashing behind placement scores, mesh sender ids and restart
/// jitter: FNV-1a over bytes, and the SplitMix64 finaliser to spread it. Unlike <see cref="string.GetHashCode()"/>, the same
/// input gives the same value in every process, which placement across silos depends on.
/// </summary>
internal static class StableHash64
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>FNV-1a (64-bit) over <paramref name="bytes"/>.</summary>
    public static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }

        return hash;
    }

    /// <summary>FNV-1a (64-bit) over the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a(string text) => Fnv1a(Encoding.UTF8.GetBytes(text));

    /// <summary>The SplitMix64 finaliser: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
