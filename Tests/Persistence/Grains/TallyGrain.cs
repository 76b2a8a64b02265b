using NeuroMesh.Persistence;
using Orleans.EventSourcing;
using Orleans.Providers;

namespace NeuroMesh.Tests.Persistence.Grains;

[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class TallyGrain : DeltaLogGrain<TallyState, TallyEvent>, ITallyGrain
{
    public async Task Add(int amount)
    {
        RaiseEvent(new TallyAdded(amount));
        await ConfirmEvents();
    }

    public async Task Reset()
    {
        RaiseEvent(new TallyReset());
        await ConfirmEvents();
    }

    public Task<(int Total, int Events, int Version)> Read() => Task.FromResult((State.Total, State.Events, Version));

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    protected override void TransitionState(TallyState state, TallyEvent @event)
    {
        switch (@event)
        {
            case TallyAdded added:
                state.Total += added.Amount;
                break;
            case TallyReset:
                state.Total = 0;
                break;
            default:
                throw new InvalidOperationException($"unknown event {@event.GetType().Name}");
        }

        state.Events++;
    }
}
