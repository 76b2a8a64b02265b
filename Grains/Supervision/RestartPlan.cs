namespace NeuroMesh.Supervision;

/// <summary>Which children a strategy restarts when one fails, in the order they restart.</summary>
public static class RestartPlan
{
    /// <summary>
    /// The children to restart, in start order: OneForOne the failed child; OneForAll every running child; RestForOne
    /// the failed child and every running child started after it.
    /// </summary>
    /// <param name="strategy">The supervisor's strategy.</param>
    /// <param name="running">The running children in start order.</param>
    /// <param name="failed">The failed child (one of <paramref name="running"/>).</param>
    public static IReadOnlyList<ChildRef> Affected(SupervisionStrategy strategy, IReadOnlyList<ChildRef> running, ChildRef failed)
    {
        ArgumentNullException.ThrowIfNull(running);
        var index = running.ToList().IndexOf(failed);
        if (index < 0)
        {
            throw new ArgumentException($"{failed} is not a running child ({string.Join(", ", running)})", nameof(failed));
        }

        return strategy switch
        {
            SupervisionStrategy.OneForOne => [failed],
            SupervisionStrategy.OneForAll => [.. running],
            SupervisionStrategy.RestForOne => [.. running.Skip(index)],
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown strategy"),
        };
    }
}
