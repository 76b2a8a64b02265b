namespace NeuroMesh.Simulation;

/// <summary>
/// The response timeout of calls whose length grows with the network or the run (building engines, stepping, replaying),
/// set per method with <see cref="ResponseTimeoutAttribute"/> instead of Orleans' 30 s default: a replay of a long run on
/// several silos took longer than that and ended in an unhandled <see cref="TimeoutException"/>. Such calls still fail
/// when something is wrong: a shard that waits too long for a peer's window fails the run
/// (<c>NeuroMesh:Cluster:WindowTimeoutSeconds</c>), and a call to a silo declared dead fails when membership says so.
/// </summary>
public static class LongOperation
{
    /// <summary>One day, as <see cref="ResponseTimeoutAttribute"/> reads it.</summary>
    public const string Timeout = "1.00:00:00";
}
