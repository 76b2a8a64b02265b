namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// <see cref="Cpu.CounterRng"/> for kernels: the same SplitMix64-finaliser hash over (seed, stream, a, b), in plain
/// 64-bit integer arithmetic, so every draw equals the CPU's bit for bit.
/// </summary>
internal static class DeviceRng
{
    public static ulong Hash(ulong seed, ulong stream, ulong a, ulong b)
    {
        var h = Mix(seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (stream * 0xD1B54A32D192ED03UL));
        h = Mix(h ^ (a * 0xAEF17502108EF2D9UL));
        return Mix(h ^ (b * 0xDB4F0B9175AE2165UL));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong stream, ulong a, ulong b)
        => Rn.Mul(Hash(seed, stream, a, b) >> 11, 1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
