using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Neurons.Events;
using NeuroMesh.Persistence;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;
using Orleans.Placement;
using Orleans.Providers;

namespace NeuroMesh.Neurons;

/// <summary>
/// A neuron grain, event-sourced in the delta log and placed with its region's other neurons. While it has a behaviour
/// and is active, its neuron lives in the silo's <see cref="SiloAgentMesh"/>: the behaviour runs in the mesh's loop, and
/// spikes to and from co-located neurons travel over the fabric, not as grain calls. Immovable, because moving it would
/// take it off its region's fast path.
/// </summary>
[Immovable]
[RegionAffinityPlacement]
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class NeuronGrain(
    SiloAgentMesh mesh, BehaviourRegistry behaviours, WasmModuleCatalog modules, ILocalSiloDetails silo, IClusterMembershipService membership)
    : DeltaLogGrain<NeuronState, NeuronEvent>, INeuronGrain
{
    private INeuronBehaviour? _behaviour;
    private NeuronHandle? _handle;
    private IGrainTimer? _stateFlush;
    private string? _hostError;
    private long _compactedAt = -1;

    private uint Id
    {
        get
        {
            var key = this.GetPrimaryKeyLong();
            return key is >= 0 and < Spike.BroadcastTarget
                ? (uint)key
                : throw new ArgumentException($"Neuron grain key {key} is not a neuron id (0..{Spike.BroadcastTarget - 1}).");
        }
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.Behaviour is not null && this.GetPrimaryKeyLong() is >= 0 and < Spike.BroadcastTarget)
        {
            await ResolveTargetRegions();
            try
            {
                if (WasmModuleName.TryParse(State.Behaviour, out var hash))
                {
                    // A deployed module: this silo may never have seen it; its bytes come from the module store's log.
                    await modules.LoadAsync(hash);
                }

                HostInMesh();
                LetGoIfOffRegion();
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                // A behaviour this silo no longer knows, or a silo at its agent capacity, must not make the neuron
                // unreachable: it stays active unhosted. Not silent: the refusal is counted (neuromesh.agents.host.refused),
                // logged, reported by GetActivity, and Stimulate fails with it.
                _hostError = $"hosting at activation failed: {e.GetType().Name}: {e.Message}";
                ServiceProvider.GetService<ILogger<NeuronGrain>>()?.LogWarning(e, "Neuron {Neuron} is active but not hosted in its silo's agent mesh", Id);
            }
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // What the behaviour recorded up to now goes to the log before the neuron leaves (not on a crash: a lost silo
        // loses the deltas that were never confirmed, as it loses any unconfirmed call).
        mesh.Leave(Id);
        await FlushStateAsync();
        Unhost();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<NeuronInfo> Configure(NeuronConfig config)
    {
        var id = Id;
        ArgumentNullException.ThrowIfNull(config);
        if (config.Problem() is { } problem)
        {
            throw new ArgumentException($"Neuron {id}: {problem}", nameof(config));
        }

        if (State.Configured && State.Region != config.Region)
        {
            throw new ArgumentException($"Neuron {id} is in region '{State.Region}'; it cannot move to '{config.Region}'.", nameof(config));
        }

        var firstConfiguration = !State.Configured;
        await GrainFactory.GetGrain<IRegionAssignmentsGrain>(0).Assign(id, config.Region.ToString());
        await GrainFactory.GetGrain<IRegionGrain>(config.Region.ToString()).AddMember(id);
        RaiseEvent(new NeuronConfigured(config));
        await ConfirmEvents();
        if (_behaviour is not null)
        {
            await FlushStateAsync();
            HostInMesh();
        }

        // The first configuration: this activation was placed before the neuron had a region. If its region belongs on
        // another silo, move it there once idle (RegionAffinityPlacement picks the silo, from the same membership view).
        if (firstConfiguration)
        {
            LetGoIfOffRegion();
        }

        return Info();
    }

    /// <inheritdoc />
    public async Task<NeuronInfo> Inspect()
    {
        var id = Id;
        if (State.Configured)
        {
            return Info();
        }

        var region = await GrainFactory.GetGrain<IRegionAssignmentsGrain>(0).RegionOf(id);
        if (region is not null)
        {
            var info = await GrainFactory.GetGrain<IRegionGrain>(region).Inspect();
            if (info.Populations.FirstOrDefault(p => p.Contains(id)) is { } population)
            {
                return new NeuronInfo { Id = id, Region = info.Path, Population = population.Name, Params = NumericParams(population.ParamsJson) };
            }
        }

        throw Unknown(id);
    }

    /// <inheritdoc />
    public async Task<NeuronInfo> BindBehaviour(string behaviour)
    {
        var id = Id;
        ArgumentNullException.ThrowIfNull(behaviour);
        if (WasmModuleName.TryParse(behaviour, out var hash))
        {
            ThrowIfNotConfigured(id);
            await modules.LoadAsync(hash);
            behaviour = WasmModuleName.Of(hash);
        }
        else if (!behaviours.Contains(behaviour))
        {
            var known = behaviours.Names;
            throw new ArgumentException($"Cannot bind behaviour '{behaviour}' to neuron {id}: no behaviour is registered under that name (registered: {(known.Count == 0 ? "none" : string.Join(", ", known))}).", nameof(behaviour));
        }

        ThrowIfNotConfigured(id);
        await FlushStateAsync();
        await ResolveTargetRegions();

        // Host first, then log the binding: a silo at capacity refuses with AgentCapacityException, which reaches the
        // caller, and the neuron keeps what it had (nothing is half-applied).
        var previous = State.Behaviour;
        HostInMesh(behaviour, keepState: previous == behaviour);
        try
        {
            RaiseEvent(new BehaviourBound(behaviour));
            await ConfirmEvents();
        }
        catch
        {
            mesh.Leave(id);
            Unhost();
            if (previous is not null)
            {
                HostInMesh();
            }

            throw;
        }

        LetGoIfOffRegion();
        return Info();
    }

    /// <inheritdoc />
    public async Task<WasmSwapResult> SwapWasmModule(string hash)
    {
        var id = Id;
        hash = WasmModuleName.Normalize(hash, nameof(hash));
        ThrowIfNotConfigured(id);
        var from = State.Behaviour;
        var running = _behaviour as WasmBehaviour;
        WasmModuleName.TryParse(from, out var fromHash);
        if (from is null || (running is null && fromHash.Length == 0))
        {
            throw new InvalidOperationException(from is null
                ? $"Neuron {id} has no behaviour bound; bind the module first (BindBehaviour(\"{WasmModuleName.Of(hash)}\"))."
                : $"Neuron {id} runs behaviour '{from}', which is not a WebAssembly module; a hot swap replaces one module with another, so bind this one instead.");
        }

        var module = await modules.LoadAsync(hash);
        var to = WasmModuleName.Of(hash);
        var oldModule = running?.Module ?? (fromHash.Length > 0 ? await modules.LoadAsync(fromHash) : null);
        var keep = oldModule is not null && oldModule.StateVersion == module.StateVersion;
        var hosted = _handle is not null && mesh.IsHosted(id);
        if (to == from)
        {
            return new WasmSwapResult { Neuron = id, From = from, To = to, StateKept = true, Hosted = hosted };
        }

        // The new instance exists before anything is logged, so a refusal here (a full pool) changes nothing.
        WasmBehaviour? next = null;
        if (hosted)
        {
            try
            {
                next = modules.Runtime.CreateBehaviour(module, _behaviour!.Capabilities, mesh.Cortex.Directory);
            }
            catch (WasmModuleRefusedException e)
            {
                throw new ArgumentException($"Cannot swap neuron {id} to {to}: {e.Message}", nameof(hash));
            }
        }

        try
        {
            await FlushStateAsync();
            RaiseEvent(new WasmModuleSwapped(to, keep));
            await ConfirmEvents();
        }
        catch
        {
            next?.Dispose();
            throw;
        }

        if (next is not null && mesh.Replace(id, next, handle => HandOver(handle, next, keep)))
        {
            _behaviour = next;
        }
        else
        {
            // Not hosted (hosting had failed, or the mesh let it go meanwhile): host it with the new module now.
            next?.Dispose();
            try
            {
                HostInMesh();
                hosted = true;
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                _hostError = $"hosting after the swap to {to} failed: {e.GetType().Name}: {e.Message}";
                hosted = false;
            }
        }

        return new WasmSwapResult { Neuron = id, From = from, To = to, StateKept = keep, Hosted = hosted };
    }

    /// <inheritdoc />
    public async Task<bool> UnbindBehaviour()
    {
        var id = Id;
        if (State.Behaviour is null)
        {
            return false;
        }

        mesh.Leave(id);
        await FlushStateAsync();
        RaiseEvent(new BehaviourUnbound());
        await ConfirmEvents();
        Unhost();
        return true;
    }

    /// <inheritdoc />
    public async Task<AgentCard> Advertise(string name, IReadOnlyList<string>? capabilities = null)
    {
        var id = Id;
        ThrowIfNotConfigured(id);
        var merged = (capabilities ?? []).Concat(_behaviour?.Capabilities ?? []);
        var card = await GrainFactory.GetGrain<IRegionGrain>(State.Region.ToString()).RegisterCard(new AgentCard(name, id, merged, [State.Region]));
        RaiseEvent(new CardAdvertised(card));
        await ConfirmEvents();
        mesh.Advertise(card);
        return card;
    }

    /// <inheritdoc />
    public async Task<bool> Withdraw()
    {
        if (State.Card is null)
        {
            return false;
        }

        await GrainFactory.GetGrain<IRegionGrain>(State.Region.ToString()).UnregisterCard(Id);
        mesh.Withdraw(Id);
        RaiseEvent(new CardWithdrawn());
        await ConfirmEvents();
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutgoingSynapse>> Connect(OutgoingSynapse synapse)
    {
        var id = Id;
        ArgumentNullException.ThrowIfNull(synapse);
        if (synapse.Target == id || synapse.Target == Spike.BroadcastTarget)
        {
            throw new ArgumentException($"Neuron {id} cannot connect to {synapse.Target}: a synapse targets another neuron.", nameof(synapse));
        }

        if (!double.IsFinite(synapse.Weight) || !double.IsFinite(synapse.DelayMs) || synapse.DelayMs < 0)
        {
            throw new ArgumentException($"Synapse {id} -> {synapse.Target}: the weight must be finite and the delay finite and 0 or more (got weight {synapse.Weight}, delay {synapse.DelayMs} ms).", nameof(synapse));
        }

        ThrowIfNotConfigured(id);
        RaiseEvent(new SynapseConnected(synapse));
        await ConfirmEvents();
        await ResolveTargetRegions();
        mesh.SetTargets(id, State.Synapses.Keys);
        return [.. State.Synapses.Values];
    }

    /// <inheritdoc />
    public async Task<bool> Disconnect(uint target)
    {
        var id = Id;
        if (!State.Synapses.ContainsKey(target))
        {
            return false;
        }

        RaiseEvent(new SynapseDisconnected(target));
        await ConfirmEvents();
        mesh.SetTargets(id, State.Synapses.Keys);
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutgoingSynapse>> GetSynapses()
    {
        ThrowIfNotConfigured(Id);
        return Task.FromResult<IReadOnlyList<OutgoingSynapse>>([.. State.Synapses.Values]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentCard>> Discover(IReadOnlyList<string> capabilities, string? scope = null)
        => GrainFactory.GetGrain<IRegionGrain>(scope ?? RegionPath.Root.ToString()).FindByCapability(capabilities);

    /// <inheritdoc />
    public Task Stimulate()
    {
        var id = Id;
        if (!mesh.IsHosted(id))
        {
            throw _hostError is not null && State.Behaviour is not null
                ? new InvalidOperationException($"Neuron {id} has behaviour '{State.Behaviour}' bound but is not in its silo's agent mesh, so it cannot be stimulated: {_hostError}")
                : new InvalidOperationException($"Neuron {id} has no behaviour bound, so it is not in its silo's agent mesh and cannot be stimulated; BindBehaviour first.");
        }

        mesh.Cortex.Stimulate(id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<long> FlushState()
    {
        await FlushStateAsync();
        return State.StateDeltas;
    }

    /// <inheritdoc />
    public async Task ResetAgentState(string reason)
    {
        var id = Id;
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ThrowIfNotConfigured(id);

        // What the behaviour recorded and the log does not hold yet belongs to the state being discarded.
        _handle?.TakeRecordedState();
        RaiseEvent(new AgentStateReset(reason));
        await ConfirmEvents();
        if (_handle is not null)
        {
            // A fresh instance with no state replaces the hosted one (Host swaps it in the mesh); whatever the old one
            // records from here on went with its handle.
            HostInMesh();
        }
    }

    /// <inheritdoc />
    public Task<NeuronActivity> GetActivity()
    {
        var id = Id;
        var counters = mesh.CountersOf(id);
        var remote = mesh.RemoteCountersOf(id);
        return Task.FromResult(new NeuronActivity
        {
            RemoteSent = remote.Sent,
            RemoteDropped = remote.Dropped,
            RemoteReceived = remote.Received,
            Mesh = mesh.MeshCounters(),
            Silo = silo.SiloAddress.ToParsableString(),
            Activation = GrainContext.ActivationId.ToString(),
            Hosted = counters is not null,
            Fired = counters?.Fired ?? 0,
            Received = counters?.Received ?? 0,
            Faults = counters?.Faults ?? 0,
            StateDeltas = State.StateDeltas,
            StateRefused = _handle?.StateRefused ?? 0,
            RecentFaults = [.. (_hostError is null ? [] : new[] { _hostError }), .. mesh.FaultsOf(id).Select(f => $"{f.Callback} at tick {f.Tick}: {f.Exception.GetType().Name}: {f.Exception.Message}")],
        });
    }

    /// <inheritdoc />
    protected override void TransitionState(NeuronState state, NeuronEvent @event)
    {
        switch (@event)
        {
            case NeuronConfigured configured:
                state.Configured = true;
                state.Region = configured.Config.Region;
                state.RefractoryTicks = configured.Config.RefractoryTicks;
                state.Params = configured.Config.Params;
                break;
            case BehaviourBound bound:
                if (state.Behaviour != bound.Behaviour)
                {
                    state.AgentState.Clear();
                }

                state.Behaviour = bound.Behaviour;
                break;
            case WasmModuleSwapped swapped:
                state.Behaviour = swapped.Behaviour;
                if (!swapped.StateKept)
                {
                    state.AgentState.Clear();
                }

                break;
            case BehaviourUnbound:
                state.Behaviour = null;
                state.AgentState.Clear();
                break;
            case AgentStateRecorded recorded:
                if (recorded.ReplacesEarlier)
                {
                    state.AgentState.Clear();
                }

                state.AgentState.Add(recorded.Delta);
                state.StateDeltas++;
                break;
            case AgentStateReset:
                state.AgentState.Clear();
                break;
            case CardAdvertised advertised:
                state.Card = advertised.Card;
                break;
            case CardWithdrawn:
                state.Card = null;
                break;
            case SynapseConnected connected:
                state.Synapses[connected.Synapse.Target] = connected.Synapse;
                break;
            case SynapseDisconnected disconnected:
                state.Synapses.Remove(disconnected.Target);
                break;
            default:
                throw new InvalidOperationException($"Unknown neuron event {@event.GetType().Name}.");
        }
    }

    private static KeyNotFoundException Unknown(uint id)
        => new($"Neuron {id} is unknown: it was never configured (INeuronGrain.Configure) and is in no region's population.");

    private static ImmutableSortedDictionary<string, double> NumericParams(string json)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number)
            {
                builder[property.Name] = property.Value.GetDouble();
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// The silo that the agent meshes route this neuron's region to (<see cref="RendezvousHash"/> over the active silos
    /// this silo sees, as <see cref="CrossSiloLink"/> does) when that is not this silo; null when it is, when the neuron
    /// has no region yet, or while this silo is not active itself. A neuron hosted anywhere else receives nothing: every
    /// mesh sends its region's spikes to the region's silo, and the region's own silo finds it not hosted.
    /// </summary>
    private SiloAddress? RegionSiloElsewhere()
    {
        if (!State.Configured)
        {
            return null;
        }

        var snapshot = membership.CurrentSnapshot;
        var local = silo.SiloAddress;
        if (snapshot.GetSiloStatus(local) != SiloStatus.Active)
        {
            return null;
        }

        var home = RendezvousHash.Home(State.Region, snapshot);
        return home is null || home.Equals(local) ? null : home;
    }

    /// <summary>
    /// Moves an activation hosted away from its region's silo (<see cref="RegionSiloElsewhere"/>) there once idle: it serves
    /// the calls it has, but it is never left there for good (it is immovable to Orleans' rebalancers, and no mesh sends it
    /// anything). It happens to the activation placed before the neuron had a region (its first <c>Configure</c>), and when
    /// silos see different memberships for a moment (a silo joining or leaving). GetActivity names the silo it belongs on
    /// meanwhile.
    /// </summary>
    /// <remarks>
    /// A migration, not a deactivation: a deactivated grain leaves the directory empty until its next call is placed, and a
    /// call addressed from a location cache in that gap activates the grain wherever the cache pointed, off its region for
    /// good. A migrating grain keeps its directory entry until the new activation takes it over, so such a call is
    /// forwarded instead.
    /// </remarks>
    private void LetGoIfOffRegion()
    {
        if (RegionSiloElsewhere() is { } home)
        {
            _hostError = $"hosted on silo {silo.SiloAddress} only until idle: region '{State.Region}' is routed to silo {home}, where it moves next";
            this.MigrateOnIdle();
        }
    }

    private void ThrowIfNotConfigured(uint id)
    {
        if (!State.Configured)
        {
            throw Unknown(id);
        }
    }

    /// <summary>
    /// Tells the silo's mesh the region of every synapse target it does not know yet: one grain call per new target
    /// (assignments never change, so the mesh keeps them), never one per spike. A target with no region yet stays
    /// unknown, and spikes to it that would cross silos are counted as dropped (NoRegion) until a later edit or activation
    /// resolves it.
    /// </summary>
    private async Task ResolveTargetRegions()
    {
        if (!mesh.IsLinked)
        {
            return;
        }

        var assignments = GrainFactory.GetGrain<IRegionAssignmentsGrain>(0);
        foreach (var target in State.Synapses.Keys)
        {
            if (!mesh.KnowsRegion(target) && await assignments.RegionOf(target) is { } found && RegionPath.TryParse(found, out var region))
            {
                mesh.SetRegion(target, region);
            }
        }
    }

    private void HostInMesh() => HostInMesh(State.Behaviour!, keepState: true);

    /// <summary>Hosts a fresh instance of <paramref name="name"/>, restoring the logged state when <paramref name="keepState"/>.</summary>
    /// <exception cref="AgentCapacityException">The silo is at its agent capacity; nothing changed.</exception>
    private void HostInMesh(string name, bool keepState)
    {
        var id = Id;
        var behaviour = CreateBehaviour(name);
        if (keepState && behaviour is IStatefulBehaviour stateful)
        {
            foreach (var delta in State.AgentState)
            {
                stateful.Restore(delta);
            }
        }

        _handle = mesh.Host(id, behaviour, State.RefractoryTicks, State.Synapses.Keys);
        _behaviour = behaviour;
        if (State.Card is { } card)
        {
            // Hosting (again) removed any earlier card from the mesh's directory, where this silo's behaviours find it.
            mesh.Advertise(card);
        }

        _stateFlush ??= this.RegisterGrainTimer(FlushStateAsync, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)));
        _hostError = null;
    }

    /// <summary>A behaviour by its registered name, or an instance of the deployed module a <c>wasm:</c> name names (loaded on this silo by then).</summary>
    private INeuronBehaviour CreateBehaviour(string name)
    {
        if (!WasmModuleName.TryParse(name, out var hash))
        {
            return behaviours.Create(name, ServiceProvider);
        }

        if (!modules.Runtime.TryGet(hash, out var module))
        {
            throw new InvalidOperationException($"Module {hash} is not loaded on this silo; it is loaded from the module store when the neuron is bound or activated.");
        }

        try
        {
            return modules.Runtime.CreateBehaviour(module, [], mesh.Cortex.Directory);
        }
        catch (WasmModuleRefusedException e)
        {
            throw new InvalidOperationException($"Creating an instance of module {hash} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs between two passes, just before the mesh puts <paramref name="next"/> in the old behaviour's place. Kept state:
    /// the new instance gets the logged deltas and the ones the old instance recorded since (they stay queued for the log,
    /// which then reads the same). Reset state: those queued deltas belonged to the state being discarded.
    /// </summary>
    private void HandOver(NeuronHandle handle, WasmBehaviour next, bool keep)
    {
        if (!keep)
        {
            handle.TakeRecordedState();
            return;
        }

        foreach (var delta in State.AgentState)
        {
            next.Restore(delta);
        }

        foreach (var (delta, _) in handle.PeekRecordedState())
        {
            next.Restore(delta);
        }
    }

    private void Unhost()
    {
        _stateFlush?.Dispose();
        (_stateFlush, _behaviour, _handle) = (null, null, null);
    }

    /// <summary>Appends what the hosted behaviour recorded since the last flush, in order, and waits for the log to confirm it.</summary>
    private async Task FlushStateAsync()
    {
        if (_handle?.TakeRecordedState() is not { Count: > 0 } recorded)
        {
            return;
        }

        foreach (var (delta, replaces) in recorded)
        {
            RaiseEvent(new AgentStateRecorded(delta, replaces));
        }

        await ConfirmEvents();
        if (recorded.Exists(r => r.ReplacesEarlier))
        {
            await CompactIfDueAsync();
        }
    }

    /// <summary>
    /// Bounds the neuron's log once its behaviour's state has been replaced whole: the state (configuration, synapses,
    /// card, and the behaviour's deltas from the replacing one on) is snapshotted and the events behind it removed, when
    /// <see cref="DeltaLogGrainOptions.AgentLogCompactAfter"/> events have gathered since the last compaction.
    /// </summary>
    private async Task CompactIfDueAsync()
    {
        var after = Options.AgentLogCompactAfter;
        _compactedAt = _compactedAt < 0 ? 0 : _compactedAt;
        if (after <= 0 || Version - _compactedAt < after)
        {
            return;
        }

        try
        {
            await CompactLogAsync(Version);
            _compactedAt = Version;
        }
        catch (Exception e) when (e is DeltaLogException or ArgumentException or InvalidOperationException)
        {
            // Compaction only shortens the log; every event stays confirmed. Try again at the next replacing delta.
            ServiceProvider.GetService<ILogger<NeuronGrain>>()?.LogWarning(e, "Neuron {Neuron}: compacting its log failed; it stays whole", Id);
        }
    }

    private NeuronInfo Info() => new()
    {
        Id = Id,
        Region = State.Region,
        RefractoryTicks = State.RefractoryTicks,
        Params = State.Params,
        Behaviour = State.Behaviour,
        Card = State.Card,
        Synapses = [.. State.Synapses.Values],
    };
}
