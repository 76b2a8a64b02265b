namespace NeuroMesh.Benchmarks.Suites.Agents.Orleans;

/// <summary>
/// The out-of-band completion signal of the Orleans fan-out: subscriber grains run in the benchmark's own process, so
/// the last delivery can signal a countdown directly instead of the driver polling every grain.
/// </summary>
internal static class FanOutProbe
{
    private static CountdownEvent? _current;

    /// <summary>Arms the probe for one run.</summary>
    public static void Arm(CountdownEvent countdown) => Volatile.Write(ref _current, countdown);

    /// <summary>Called by a subscriber grain when it has every expected message.</summary>
    public static void Signal() => Volatile.Read(ref _current)?.Signal();
}
