namespace NeuroMesh.Supervision;

/// <summary>
/// Exponential backoff with deterministic jitter: attempt n of a child waits
/// <c>min(BackoffMaxMs, BackoffBaseMs · 2^(n−1)) · (1 + Jitter · u)</c>, where u in [0, 1) is drawn from a counter-based
/// generator keyed by (seed, child, attempt), so a test (or a replay of the log) gets the same delays every time.
/// </summary>
public static class RestartBackoff
{
    /// <summary>The delay before restart <paramref name="attempt"/> (1 = first in the window) of <paramref name="child"/>, in ms.</summary>
    public static double DelayMs(SupervisorConfig config, ChildRef child, int attempt)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(child);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        var exponential = Math.Min(config.BackoffMaxMs, config.BackoffBaseMs * Math.Pow(2, Math.Min(attempt - 1, 62)));
        return exponential * (1 + (config.Jitter * Unit(config.JitterSeed, child, attempt)));
    }

    /// <summary>A uniform draw in [0, 1) from (seed, child, attempt): SplitMix64 over an FNV-1a hash of the child.</summary>
    public static double Unit(ulong seed, ChildRef child, int attempt)
    {
        ArgumentNullException.ThrowIfNull(child);
        var z = Hashing.StableHash64.Mix(seed ^ Hashing.StableHash64.Fnv1a(child.ToString()) ^ unchecked((ulong)attempt * 0x9E3779B97F4A7C15UL));
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
