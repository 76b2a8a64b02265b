using NeuroMesh.Persistence;
using NeuroMesh.Regions.Events;
using Orleans.Providers;

namespace NeuroMesh.Regions;

/// <summary>The cluster-wide neuron → region map that region-affine placement reads; event-sourced in the delta log.</summary>
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class RegionAssignmentsGrain : DeltaLogGrain<RegionAssignmentsState, RegionEvent>, IRegionAssignmentsGrain
{
    /// <inheritdoc />
    public async Task Assign(uint neuronId, string region)
    {
        var path = ParseRegion(region);
        if (State.RegionOf(neuronId) is { } existing)
        {
            if (existing != path)
            {
                throw new ArgumentException($"Neuron {neuronId} is already in region '{existing}'; it cannot move to '{path}'.", nameof(region));
            }

            return;
        }

        RaiseEvent(new NeuronAssigned(neuronId, path));
        await ConfirmEvents();
    }

    /// <inheritdoc />
    public async Task AssignRange(uint first, int count, string region)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var path = ParseRegion(region);
        var last = (ulong)first + (ulong)count - 1;
        if (last >= uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Neurons {first}..{last} run past the largest neuron id {uint.MaxValue - 1}.");
        }

        foreach (var (f, c, owner) in State.Ranges)
        {
            if (f == first && c == count && owner == path)
            {
                return;
            }

            if (first <= (ulong)f + (ulong)c - 1 && f <= last)
            {
                throw new ArgumentException($"Neurons {first}..{last} overlap neurons {f}..{(ulong)f + (ulong)c - 1} of region '{owner}'.", nameof(first));
            }
        }

        foreach (var (id, owner) in State.Neurons)
        {
            if (id >= first && id <= last)
            {
                throw new ArgumentException($"Neurons {first}..{last} include neuron {id}, already a stand-alone neuron of region '{owner}'.", nameof(first));
            }
        }

        RaiseEvent(new RangeAssigned(first, count, path));
        await ConfirmEvents();
    }

    /// <inheritdoc />
    public Task<string?> RegionOf(uint neuronId) => Task.FromResult(State.RegionOf(neuronId)?.ToString());

    /// <inheritdoc />
    protected override void TransitionState(RegionAssignmentsState state, RegionEvent @event)
    {
        switch (@event)
        {
            case NeuronAssigned assigned:
                state.Neurons[assigned.NeuronId] = assigned.Region;
                break;
            case RangeAssigned range:
                state.Ranges.Add((range.First, range.Count, range.Region));
                break;
            default:
                throw new InvalidOperationException($"Unknown region-assignment event {@event.GetType().Name}.");
        }
    }

    private static RegionPath ParseRegion(string region)
        => RegionPath.TryParse(region, out var path, out var error)
            ? path
            : throw new ArgumentException($"'{region}' is not a valid region path: {error}", nameof(region));
}
