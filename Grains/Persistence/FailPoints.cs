using System.Diagnostics;

namespace NeuroMesh.Persistence;

/// <summary>
/// Named places between two durable writes where a crash must leave state that opens and replays. A crash test arms
/// them with the environment variable <see cref="Variable"/> (names separated by commas) in the node it starts; the
/// first one reached then kills the process with SIGKILL, exactly there. Unset, as in every deployment, a hit is one
/// check of an empty set.
/// </summary>
public static class FailPoints
{
    /// <summary>The environment variable that arms failpoints.</summary>
    public const string Variable = "NEUROMESH_FAILPOINTS";

    /// <summary>A log compaction wrote its state snapshot and has not removed the events behind it yet.</summary>
    public const string CompactAfterSnapshot = "deltalog.compact.after-snapshot";

    /// <summary>A run's engine snapshot file is in the store and its <c>RunSnapshotted</c> event is not logged yet.</summary>
    public const string SnapshotSavedBeforeLogged = "snapshots.saved-before-logged";

    private static readonly HashSet<string> Armed = [.. (Environment.GetEnvironmentVariable(Variable) ?? string.Empty)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Kills this process (SIGKILL, no cleanup) when <paramref name="name"/> is armed.</summary>
    public static void Hit(string name)
    {
        if (Armed.Count == 0 || !Armed.Contains(name))
        {
            return;
        }

        Console.Error.WriteLine($"failpoint {name}: killing this process");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }
}
