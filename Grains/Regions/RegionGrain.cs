using System.Collections.Immutable;
using System.Text.Json;
using NeuroMesh.Agents;
using NeuroMesh.Network;
using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Regions.Events;
using Orleans.Providers;

namespace NeuroMesh.Regions;

/// <summary>
/// A region: members, spec slice, child regions and the agent cards of its subtree, event-sourced in the delta log.
/// Discovery runs over an <see cref="AgentDirectory"/> rebuilt from the logged cards when they change.
/// </summary>
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class RegionGrain(ILocalSiloDetails silo) : DeltaLogGrain<RegionState, RegionEvent>, IRegionGrain
{
    private AgentDirectory? _directory;
    private int _directoryVersion = -1;

    private RegionPath Path
    {
        get
        {
            var key = this.GetPrimaryKeyString();
            return RegionPath.TryParse(key, out var path, out var error)
                ? path
                : throw new ArgumentException($"'{key}' is not a valid region path: {error}");
        }
    }

    /// <inheritdoc />
    public async Task<bool> AddMember(uint neuronId)
    {
        _ = Path;
        if (State.Members.Contains(neuronId))
        {
            return false;
        }

        await Record(new MemberAdded(neuronId));
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveMember(uint neuronId)
    {
        _ = Path;
        if (!State.Members.Contains(neuronId))
        {
            return false;
        }

        await Record(new MemberRemoved(neuronId));
        return true;
    }

    /// <inheritdoc />
    public async Task<WasmRegionSwap> SwapWasmModule(string hash, string? fromHash = null)
    {
        var path = Path;
        hash = WasmModuleName.Normalize(hash, nameof(hash));
        var only = fromHash is null ? null : WasmModuleName.Of(WasmModuleName.Normalize(fromHash, nameof(fromHash)));
        if (await GrainFactory.GetGrain<IWasmModuleGrain>(hash).Describe() is null)
        {
            throw new ArgumentException($"No WebAssembly module with SHA-256 {hash} was deployed; upload it first. No member of '{path}' was changed.", nameof(hash));
        }

        var to = WasmModuleName.Of(hash);
        var swapped = ImmutableArray.CreateBuilder<WasmSwapResult>();
        var skipped = ImmutableSortedDictionary.CreateBuilder<uint, string>();
        var failed = ImmutableSortedDictionary.CreateBuilder<uint, string>();
        foreach (var member in State.Members.Order())
        {
            var neuron = GrainFactory.GetGrain<INeuronGrain>(member);
            NeuronInfo info;
            try
            {
                info = await neuron.Inspect();
            }
            catch (KeyNotFoundException)
            {
                skipped[member] = "not configured";
                continue;
            }

            if (info.Behaviour is null || info.Behaviour == to || (only is not null && info.Behaviour != only))
            {
                skipped[member] = info.Behaviour is null ? "no behaviour bound" : info.Behaviour == to ? "already runs it" : $"runs {info.Behaviour}, not {only}";
                continue;
            }

            try
            {
                swapped.Add(await neuron.SwapWasmModule(hash));
            }
            catch (InvalidOperationException e)
            {
                skipped[member] = e.Message;
            }
            catch (ArgumentException e)
            {
                failed[member] = e.Message;
            }
        }

        return new WasmRegionSwap { Region = path.ToString(), To = to, Swapped = swapped.ToImmutable(), Skipped = skipped.ToImmutable(), Failed = failed.ToImmutable() };
    }

    /// <inheritdoc />
    public async Task<RegionInfo> AssignSlice(string specJson, IReadOnlyList<string> populations)
    {
        var path = Path;
        ArgumentNullException.ThrowIfNull(specJson);
        ArgumentNullException.ThrowIfNull(populations);
        NetworkSpec spec;
        try
        {
            spec = NetworkSpec.Parse(specJson);
        }
        catch (NetworkSpecException e)
        {
            throw new ArgumentException($"The spec given to region '{path}' is invalid: {string.Join("; ", e.Errors.Select(x => $"{x.Path}: {x.Message}"))}", nameof(specJson));
        }

        if (populations.Count == 0)
        {
            throw new ArgumentException($"A slice for region '{path}' needs at least one population.", nameof(populations));
        }

        var offsets = spec.PopulationOffsets();
        var slices = ImmutableArray.CreateBuilder<PopulationSlice>();
        foreach (var name in populations.Distinct(StringComparer.Ordinal))
        {
            var index = spec.IndexOfPopulation(name);
            if (index < 0)
            {
                throw new ArgumentException($"Population '{name}' is not in the spec (it has: {string.Join(", ", spec.Populations.Select(p => p.Name))}).", nameof(populations));
            }

            if (State.Populations.Any(p => p.Name == name))
            {
                throw new ArgumentException($"Population '{name}' is already in region '{path}'.", nameof(populations));
            }

            var population = spec.Populations[index];
            slices.Add(new PopulationSlice(name, (uint)offsets[index], population.Size, population.Model, JsonSerializer.Serialize(population.Params, NetworkSpecJson.Options)));
        }

        var names = slices.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var projections = spec.Projections
            .Where(p => names.Contains(p.Source) || names.Contains(p.Target))
            .Select(p => new ProjectionSlice(p.Name, p.Source, p.Target, p.Channel, names.Contains(p.Source) && names.Contains(p.Target), p.Plasticity is { Kind: not PlasticityKinds.None }))
            .ToImmutableArray();

        var assignments = GrainFactory.GetGrain<IRegionAssignmentsGrain>(0);
        foreach (var slice in slices)
        {
            await assignments.AssignRange(slice.FirstNeuron, slice.Size, path.ToString());
        }

        await Record(new SliceAssigned(slices.ToImmutable(), projections));
        return Info();
    }

    /// <inheritdoc />
    public Task<RegionInfo> Inspect()
    {
        ThrowIfUnknown();
        return Task.FromResult(Info());
    }

    /// <inheritdoc />
    public Task<bool> Contains(uint neuronId)
    {
        _ = Path;
        return Task.FromResult(State.Members.Contains(neuronId) || State.Populations.Any(p => p.Contains(neuronId)));
    }

    /// <inheritdoc />
    public async Task<AgentCard> RegisterCard(AgentCard card)
    {
        var path = Path;
        ArgumentNullException.ThrowIfNull(card);
        var owned = card.Regions.Contains(path) ? card : card.WithRegions([.. card.Regions, path]);
        if (State.Cards.TryGetValue(owned.NeuronId, out var existing) && existing.Owner != path)
        {
            throw new ArgumentException($"Neuron {owned.NeuronId} already has a card ('{existing.Card.Name}') in region '{existing.Owner}'; unregister it there first.", nameof(card));
        }

        await Record(new CardRegistered(path, owned));
        await IndexInAncestors(path, owned.NeuronId, owned);
        return owned;
    }

    /// <inheritdoc />
    public async Task<bool> UnregisterCard(uint neuronId)
    {
        var path = Path;
        if (!State.Cards.TryGetValue(neuronId, out var entry) || entry.Owner != path)
        {
            return false;
        }

        await Record(new CardDropped(path, neuronId));
        await IndexInAncestors(path, neuronId, card: null);
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentCard>> FindByCapability(IReadOnlyList<string> capabilities, CapabilityMatch match = CapabilityMatch.All)
    {
        ThrowIfUnknown();
        ArgumentNullException.ThrowIfNull(capabilities);
        return Task.FromResult(Directory().FindByCapabilities(capabilities, match));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentCard>> FindInSubtree(string? within = null)
    {
        var path = Path;
        ThrowIfUnknown();
        if (within is null)
        {
            return Task.FromResult(Directory().All);
        }

        if (!RegionPath.TryParse(within, out var scope, out var error))
        {
            throw new ArgumentException($"'{within}' is not a valid region path: {error}", nameof(within));
        }

        if (!path.IsParentOfOrSelf(scope))
        {
            throw new ArgumentException($"Region '{scope}' is not inside region '{path}'; query a region that contains it.", nameof(within));
        }

        return Task.FromResult(Directory().FindInRegion(scope));
    }

    /// <inheritdoc />
    public async Task AddChild(string childPath)
    {
        var path = Path;
        if (!RegionPath.TryParse(childPath, out var child, out var error) || child.IsRoot || child.Parent != path)
        {
            throw new ArgumentException($"'{childPath}' is not a child region of '{path}'{(error is null ? string.Empty : ": " + error)}.", nameof(childPath));
        }

        if (!State.Children.Contains(child))
        {
            await Record(new ChildAdded(child));
        }
    }

    /// <inheritdoc />
    public async Task IndexCard(string ownerPath, uint neuronId, AgentCard? card)
    {
        var path = Path;
        if (!RegionPath.TryParse(ownerPath, out var owner, out var error) || !path.IsParentOf(owner))
        {
            throw new ArgumentException($"'{ownerPath}' is not a region inside '{path}'{(error is null ? string.Empty : ": " + error)}.", nameof(ownerPath));
        }

        if (card is not null)
        {
            await Record(new CardRegistered(owner, card));
        }
        else if (State.Cards.TryGetValue(neuronId, out var entry) && entry.Owner == owner)
        {
            await Record(new CardDropped(owner, neuronId));
        }
    }

    /// <inheritdoc />
    protected override void TransitionState(RegionState state, RegionEvent @event)
    {
        switch (@event)
        {
            case MemberAdded added:
                state.Members.Add(added.NeuronId);
                break;
            case MemberRemoved removed:
                state.Members.Remove(removed.NeuronId);
                break;
            case SliceAssigned slice:
                state.Populations.AddRange(slice.Populations);
                state.Projections.AddRange(slice.Projections.Where(p => !state.Projections.Contains(p)));
                break;
            case ChildAdded child:
                if (!state.Children.Contains(child.Child))
                {
                    state.Children.Add(child.Child);
                    state.Children.Sort();
                }

                break;
            case CardRegistered registered:
                state.Cards[registered.Card.NeuronId] = new CardEntry(registered.Owner, registered.Card);
                break;
            case CardDropped dropped:
                if (state.Cards.TryGetValue(dropped.NeuronId, out var entry) && entry.Owner == dropped.Owner)
                {
                    state.Cards.Remove(dropped.NeuronId);
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown region event {@event.GetType().Name}.");
        }
    }

    /// <summary>Raises and confirms an event; the region's first record also makes its parent list it as a child.</summary>
    private async Task Record(RegionEvent @event)
    {
        var first = Version == 0;
        RaiseEvent(@event);
        await ConfirmEvents();
        if (first && Path is { IsRoot: false } path)
        {
            await GrainFactory.GetGrain<IRegionGrain>(path.Parent.ToString()).AddChild(path.ToString());
        }
    }

    private async Task IndexInAncestors(RegionPath owner, uint neuronId, AgentCard? card)
    {
        var calls = new List<Task>();
        for (var ancestor = owner; !ancestor.IsRoot;)
        {
            ancestor = ancestor.Parent;
            calls.Add(GrainFactory.GetGrain<IRegionGrain>(ancestor.ToString()).IndexCard(owner.ToString(), neuronId, card));
        }

        await Task.WhenAll(calls);
    }

    private void ThrowIfUnknown()
    {
        var path = Path;
        if (Version == 0)
        {
            throw new KeyNotFoundException($"Region '{path}' is unknown: nothing was ever recorded for it (no member, spec slice, card or child region).");
        }
    }

    private AgentDirectory Directory()
    {
        if (_directory is null || _directoryVersion != Version)
        {
            var directory = new AgentDirectory();
            foreach (var entry in State.Cards.Values)
            {
                directory.Register(entry.Card);
            }

            (_directory, _directoryVersion) = (directory, Version);
        }

        return _directory;
    }

    private RegionInfo Info() => new()
    {
        Path = Path,
        Members = [.. State.Members],
        Populations = [.. State.Populations],
        Projections = [.. State.Projections],
        Children = [.. State.Children],
        OwnCards = State.Cards.Values.Count(c => c.Owner == Path),
        SubtreeCards = State.Cards.Count,
        Silo = silo.SiloAddress.ToParsableString(),
        Activation = GrainContext.ActivationId.ToString(),
    };
}
