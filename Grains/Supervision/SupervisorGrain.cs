using NeuroMesh.Persistence;
using NeuroMesh.Supervision.Events;
using Orleans.Providers;

namespace NeuroMesh.Supervision;

/// <summary>
/// A supervisor: children in start order, a strategy, a decider, a restart intensity and health checks, all recorded in
/// its delta log (so it rebuilds its children, parent, restart window and history when it is activated again). Every
/// failure it acts on — found by its health-check timer, escalated by a child supervisor, or reported — is handled in one
/// grain turn at a time, so one failure is never acted on twice.
/// </summary>
/// <remarks>Not reentrant; only <see cref="GetStatus"/> interleaves, and escalation to the parent is one-way, so a parent
/// and a child that call each other never wait on each other.</remarks>
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed partial class SupervisorGrain(IClusterMembershipService membership, ILocalSiloDetails silo)
    : DeltaLogGrain<SupervisorState, SupervisorEvent>, ISupervisorGrain
{
    private const int MaxTreeDepth = 1000;

    private readonly Dictionary<ChildRef, long> _faultsSeen = [];
    private readonly Dictionary<ChildRef, int> _missed = [];
    private ChildOperations? _children;
    private IGrainTimer? _timer;
    private long _checks;

    private string Id => this.GetPrimaryKeyString();

    private ChildOperations Children => _children ??= new ChildOperations(GrainFactory);

    private TimeSpan CheckTimeout => TimeSpan.FromMilliseconds(State.Config.HealthCheckTimeoutMs);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        ScheduleChecks();
    }

    /// <inheritdoc />
    public async Task<SupervisorStatus> Configure(SupervisorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Problem() is { } problem)
        {
            throw new ArgumentException($"Supervisor '{Id}': {problem}", nameof(config));
        }

        RaiseEvent(new SupervisorConfigured(config));
        await ConfirmEvents();
        ScheduleChecks();
        return Status();
    }

    /// <inheritdoc />
    public async Task<SupervisorStatus> AddChild(ChildRef child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child.Problem() is { } problem)
        {
            throw new ArgumentException($"Supervisor '{Id}': {problem}", nameof(child));
        }

        if (State.Children.Contains(child))
        {
            return Status();
        }

        if (child.Kind == ChildKind.Supervisor)
        {
            await ThrowIfCycle(child.Key);
            await GrainFactory.GetGrain<ISupervisorGrain>(child.Key).AttachParent(Id);
        }

        RaiseEvent(new SupervisedChildAdded(child));
        await ConfirmEvents();
        try
        {
            Observe(child, await Children.ProbeAsync(child, CheckTimeout));
            await ConfirmEvents();
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            // A child that does not answer yet is the health checks' business, not a reason to refuse it.
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<bool> RemoveChild(ChildRef child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (!State.Children.Contains(child))
        {
            return false;
        }

        if (child.Kind == ChildKind.Supervisor)
        {
            await GrainFactory.GetGrain<ISupervisorGrain>(child.Key).DetachParent(Id);
        }

        RaiseEvent(new SupervisedChildRemoved(child));
        await ConfirmEvents();
        _faultsSeen.Remove(child);
        _missed.Remove(child);
        return true;
    }

    /// <inheritdoc />
    public Task<SupervisorDirective> ReportFailure(ChildRef child, FailureKind kind, string reason)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (!State.Children.Contains(child))
        {
            throw new ArgumentException($"Supervisor '{Id}' has no child {child} (children: {string.Join(", ", State.Children)}).", nameof(child));
        }

        return HandleAsync(child, kind, reason ?? string.Empty, []);
    }

    /// <inheritdoc />
    public async Task<SupervisorStatus> CheckNow()
    {
        await CheckAsync();
        return Status();
    }

    /// <inheritdoc />
    public Task<SupervisorStatus> GetStatus() => Task.FromResult(Status());

    /// <inheritdoc />
    public async Task<SupervisorStatus> RestartSubtree(string reason)
    {
        var now = DateTime.UtcNow;
        RaiseEvent(new SubtreeRestarted(reason ?? string.Empty, now));
        await ConfirmEvents();
        foreach (var child in State.Children.ToArray())
        {
            await RestartOne(child, ChildRef.Supervisor(Id), FailureKind.Escalated, $"subtree restart: {reason}", 0, 0);
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task StopChildren(string reason)
    {
        foreach (var child in Running())
        {
            await StopOne(child, ChildRef.Supervisor(Id), FailureKind.Escalated, reason ?? string.Empty);
        }
    }

    /// <inheritdoc />
    public async Task AttachParent(string parent)
    {
        ArgumentException.ThrowIfNullOrEmpty(parent);
        if (parent == Id)
        {
            throw new ArgumentException($"Supervisor '{Id}' cannot supervise itself.", nameof(parent));
        }

        if (State.Parent is { } existing && existing != parent)
        {
            throw new ArgumentException($"Supervisor '{Id}' already has parent '{existing}'; a supervisor has one parent (remove it there first).", nameof(parent));
        }

        if (State.Parent is null)
        {
            RaiseEvent(new ParentAttached(parent));
            await ConfirmEvents();
        }
    }

    /// <inheritdoc />
    public async Task DetachParent(string parent)
    {
        if (State.Parent == parent)
        {
            RaiseEvent(new ParentDetached(parent));
            await ConfirmEvents();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> Descendants()
    {
        var found = new List<string>();
        foreach (var child in State.Children.Where(c => c.Kind == ChildKind.Supervisor))
        {
            found.Add(child.Key);
            found.AddRange(await GrainFactory.GetGrain<ISupervisorGrain>(child.Key).Descendants());
        }

        return found;
    }

    /// <inheritdoc />
    public async Task ChildEscalated(string child, string reason)
    {
        var failed = ChildRef.Supervisor(child);
        if (Running().Contains(failed))
        {
            await HandleAsync(failed, FailureKind.Escalated, $"{child} escalated: {reason}", []);
        }
    }

    /// <inheritdoc />
    protected override void TransitionState(SupervisorState state, SupervisorEvent @event)
    {
        switch (@event)
        {
            case SupervisorConfigured configured:
                state.Config = configured.Config;
                break;
            case SupervisedChildAdded added:
                state.Children.Add(added.Child);
                break;
            case SupervisedChildRemoved removed:
                state.Children.Remove(removed.Child);
                state.Stopped.Remove(removed.Child);
                state.Silos.Remove(removed.Child);
                break;
            case ParentAttached attached:
                state.Parent = attached.Parent;
                break;
            case ParentDetached:
                state.Parent = null;
                break;
            case ChildActedOn acted:
                state.History.Add(acted.Record);
                if (acted.Record.Directive == SupervisorDirective.Stop)
                {
                    state.Stopped.Add(acted.Record.Child);
                }

                if (acted.Record.Silo.Length > 0)
                {
                    state.Silos[acted.Record.Child] = acted.Record.Silo;
                }

                break;
            case FailureEscalated escalated:
                state.Escalations.Add($"{escalated.At:O} {escalated.Reason}");
                break;
            case SubtreeRestarted restarted:
                state.Stopped.Clear();
                state.WindowStart = restarted.At;
                break;
            case ChildLocated located:
                state.Silos[located.Child] = located.Silo;
                break;
            default:
                throw new InvalidOperationException($"Unknown supervisor event {@event.GetType().Name}.");
        }
    }

    private ChildRef[] Running() => [.. State.Children.Where(c => !State.Stopped.Contains(c))];

    private void ScheduleChecks()
    {
        _timer?.Dispose();
        _timer = null;
        var period = State.Config.HealthCheckPeriodMs;
        if (period > 0)
        {
            _timer = this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.FromMilliseconds(period),
                Period = TimeSpan.FromMilliseconds(period),
                KeepAlive = true,
            });
        }
    }

    /// <summary>Walks up from this supervisor: adding <paramref name="child"/> must not put it above itself.</summary>
    private async Task ThrowIfCycle(string child)
    {
        var chain = new List<string> { Id };
        for (var parent = State.Parent; parent is not null; parent = (await GrainFactory.GetGrain<ISupervisorGrain>(parent).GetStatus()).Parent)
        {
            chain.Add(parent);
            if (chain.Count > MaxTreeDepth)
            {
                throw new InvalidOperationException($"Supervisor '{Id}' has more than {MaxTreeDepth} ancestors: {string.Join(" <- ", chain.Take(10))} …");
            }
        }

        var at = chain.IndexOf(child);
        if (at >= 0)
        {
            var cycle = chain.Take(at + 1).Reverse().Append(child);
            throw new ArgumentException($"Adding supervisor '{child}' under '{Id}' would make a cycle: {string.Join(" -> ", cycle)} (each arrow is parent -> child).", nameof(child));
        }
    }

    private SupervisorStatus Status() => new()
    {
        Id = Id,
        Config = State.Config,
        Parent = State.Parent,
        Children = [.. State.Children.Select(c => new SupervisedChild
        {
            Child = c,
            Running = !State.Stopped.Contains(c),
            Silo = State.Silos.GetValueOrDefault(c, string.Empty),
            MissedChecks = _missed.GetValueOrDefault(c),
            Restarts = State.History.Count(r => r.Child == c && r.Directive == SupervisorDirective.Restart),
        })],
        History = [.. State.History],
        Escalations = [.. State.Escalations],
        Silo = silo.SiloAddress.ToParsableString(),
        Checks = _checks,
        Version = Version,
    };
}
