using Orleans.Concurrency;

namespace NeuroMesh.Supervision;

/// <summary>
/// A supervisor (string key = its id) over neurons, regions and other supervisors, which makes the supervisors a tree.
/// It acts on failures its health checks find (behaviour faults, missed checks, silo loss) or that are reported to it,
/// with the directive its decider names; a restart rebuilds the child from its delta log. Everything it does is
/// recorded in its own delta log, so a restarted supervisor knows its children, its restart window and its history.
/// </summary>
public interface ISupervisorGrain : IGrainWithStringKey
{
    /// <summary>Sets the strategy, decider, intensity, backoff and health checks (replacing earlier settings).</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    Task<SupervisorStatus> Configure(SupervisorConfig config);

    /// <summary>
    /// Adds a child after the existing ones (start order) and activates it. A supervisor child becomes this supervisor's
    /// child in its own log too; adding a child twice does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is invalid, or adding a supervisor would make a cycle (the message lists it) or give it a second parent.</exception>
    Task<SupervisorStatus> AddChild(ChildRef child);

    /// <summary>Stops supervising a child (it keeps running); false when it was not a child.</summary>
    Task<bool> RemoveChild(ChildRef child);

    /// <summary>Reports that <paramref name="child"/> failed; the supervisor applies its decider and strategy and returns the directive it applied.</summary>
    /// <exception cref="ArgumentException">The child is not one of this supervisor's children.</exception>
    Task<SupervisorDirective> ReportFailure(ChildRef child, FailureKind kind, string reason);

    /// <summary>Runs one health-check pass over every running child now (the timer runs them every <see cref="SupervisorConfig.HealthCheckPeriodMs"/>).</summary>
    Task<SupervisorStatus> CheckNow();

    /// <summary>The supervisor's configuration, children, parent and history.</summary>
    /// <remarks>Interleaves with other calls (it only reads), so a parent walking its ancestors never waits on a busy one.</remarks>
    [AlwaysInterleave]
    Task<SupervisorStatus> GetStatus();

    /// <summary>Restarts this supervisor's whole subtree: every running child, in start order (its parent restarting it).</summary>
    Task<SupervisorStatus> RestartSubtree(string reason);

    /// <summary>Stops every child (its parent stopping it, or escalating past it); they stay listed, not running, until a subtree restart.</summary>
    Task StopChildren(string reason);

    /// <summary>Records <paramref name="parent"/> as this supervisor's parent.</summary>
    /// <exception cref="ArgumentException">It already has another parent, or <paramref name="parent"/> is itself.</exception>
    Task AttachParent(string parent);

    /// <summary>Forgets <paramref name="parent"/> as this supervisor's parent (when the parent removes it).</summary>
    Task DetachParent(string parent);

    /// <summary>The ids of every supervisor below this one (children, their children, …).</summary>
    Task<IReadOnlyList<string>> Descendants();

    /// <summary>A child supervisor hands a failure up. One-way, so that a child escalating never waits on a parent that is calling it.</summary>
    [OneWay]
    Task ChildEscalated(string child, string reason);
}
