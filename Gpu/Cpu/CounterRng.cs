namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// A counter-based random generator: every draw is a pure function of (seed, stream, a, b), built from the
/// SplitMix64 finaliser. No state is carried, so draws do not depend on thread count or evaluation order.
/// </summary>
internal static class CounterRng
{
    public const ulong StreamInitV = 1;
    public const ulong StreamConnect = 2;
    public const ulong StreamWeight = 3;
    public const ulong StreamDelay = 4;
    public const ulong StreamPoisson = 64;

    public static ulong Hash(ulong seed, ulong stream, ulong a, ulong b)
    {
        var h = Mix(seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (stream * 0xD1B54A32D192ED03UL));
        h = Mix(h ^ (a * 0xAEF17502108EF2D9UL));
        return Mix(h ^ (b * 0xDB4F0B9175AE2165UL));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong stream, ulong a, ulong b)
        => (Hash(seed, stream, a, b) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box–Muller over two counter draws).</summary>
    public static double Normal(ulong seed, ulong stream, ulong a, ulong b)
    {
        var u1 = 1.0 - Uniform(seed, stream, a, 2 * b);
        var u2 = Uniform(seed, stream, a, (2 * b) + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
