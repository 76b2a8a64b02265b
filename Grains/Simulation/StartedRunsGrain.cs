using NeuroMesh.Persistence;
using NeuroMesh.Simulation.Events;
using Orleans.Providers;

namespace NeuroMesh.Simulation;

/// <summary>The list of started runs that <see cref="Supervision.SupervisionWatchdog"/> wakes after a silo loss; event-sourced in the delta log.</summary>
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class StartedRunsGrain : DeltaLogGrain<StartedRunsState, StartedRunsEvent>, IStartedRunsGrain
{
    /// <inheritdoc />
    public async Task Add(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (!State.Runs.Contains(runId))
        {
            RaiseEvent(new RunListed(runId));
            await ConfirmEvents();
        }
    }

    /// <inheritdoc />
    public async Task Remove(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (State.Runs.Contains(runId))
        {
            RaiseEvent(new RunUnlisted(runId));
            await ConfirmEvents();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. State.Runs]);

    /// <inheritdoc />
    protected override void TransitionState(StartedRunsState state, StartedRunsEvent @event)
    {
        switch (@event)
        {
            case RunListed listed:
                state.Runs.Add(listed.RunId);
                break;
            case RunUnlisted unlisted:
                state.Runs.Remove(unlisted.RunId);
                break;
            default:
                throw new InvalidOperationException($"Unknown started-runs event {@event.GetType().Name}.");
        }
    }
}

/// <summary>The logged state of <see cref="StartedRunsGrain"/>.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Simulation.StartedRunsState")]
public sealed class StartedRunsState
{
    /// <summary>The listed runs, in the order they were listed.</summary>
    [Id(0)] public List<string> Runs { get; set; } = [];
}
