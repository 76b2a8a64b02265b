using NeuroMesh.Agents;
using NeuroMesh.Cluster;
using NeuroMesh.Fabric;
using NeuroMesh.Hosting;
using NeuroMesh.Regions;

namespace NeuroMesh.Neurons;

/// <summary>
/// The silo's agent mesh: one free-running <see cref="Cortex"/> over the silo's <see cref="SpikeFabric"/> that hosts the
/// neurons of the active neuron grains that have a behaviour. Spikes between hosted neurons travel through the fabric's
/// rings, never as grain calls. It remembers each source's wanted targets, so a synapse whose target activates later
/// (or again) is subscribed as soon as both ends are hosted.
/// </summary>
/// <remarks>
/// <para>The subscription mesh routes broadcasts to subscribers; synapse weights and delays are kept by the neuron grains but
/// not applied here (the engine-backed Cortex applies them). Thread-safe: grains on any scheduler thread call it.</para>
/// <para>Across silos (when built with the silo's mesh path): a synapse whose target's region is placed on another silo
/// is served by a <see cref="CrossSiloLink"/>: the Cortex hands such spikes to the silo's <see cref="SiloOutbox"/>, and
/// the link, attached to the silo's <see cref="MeshIngress"/>, injects spikes from other silos for their hosted targets.</para>
/// </remarks>
public sealed class SiloAgentMesh : IDisposable
{
    /// <summary>The setting that limits (and sizes the fabric for) the agents a silo hosts.</summary>
    public const string MaxAgentsSetting = "NeuroMesh:Fabric:MaxAgents";

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, uint[]> _wanted = [];

    // target -> the sources that want it, so hosting a neuron finds its hosted senders without scanning every source.
    private readonly Dictionary<uint, HashSet<uint>> _wantedBy = [];
    private readonly CrossSiloLink? _link;
    private readonly IDisposable? _attachment;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<uint, byte> _hosted = new();
    private long _refusedAtLimit;
    private long _refusedFabricFull;

    /// <summary>Creates a silo-local mesh over the silo's fabric (no cross-silo path).</summary>
    /// <param name="fabric">The silo's fabric.</param>
    /// <param name="maxAgents">The most neurons hosted at once (<see cref="MaxAgentsSetting"/>).</param>
    public SiloAgentMesh(SpikeFabric fabric, int maxAgents = FabricOptions.DefaultMaxAgents)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAgents);
        MaxAgents = maxAgents;
        Cortex = new Cortex(fabric);
    }

    /// <summary>
    /// Creates the mesh over the silo's fabric, wired to the silo's cross-silo mesh path: spikes for neurons placed on
    /// other silos go to <paramref name="outbox"/>, and spikes that <paramref name="ingress"/> receives are injected for
    /// their hosted targets. When another consumer already holds the ingress, the mesh still sends, and
    /// <see cref="AgentMeshCounters.IngressProblem"/> says why it receives nothing.
    /// </summary>
    public SiloAgentMesh(SpikeFabric fabric, SiloOutbox outbox, MeshIngress ingress, ILocalSiloDetails silo, IClusterMembershipService membership, int maxAgents = FabricOptions.DefaultMaxAgents)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAgents);
        MaxAgents = maxAgents;
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(ingress);
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(membership);
        Cortex = new Cortex(fabric);
        _link = new CrossSiloLink(outbox, silo.SiloAddress, membership, Cortex, IsHosted);
        Cortex.Egress = _link;
        try
        {
            _attachment = ingress.Attach(_link);
        }
        catch (InvalidOperationException e)
        {
            _link.IngressProblem = $"the mesh ingress has another consumer, so spikes from other silos do not reach this mesh: {e.Message}";
        }
    }

    /// <summary>The underlying Cortex.</summary>
    public Cortex Cortex { get; }

    /// <summary>The most neurons this mesh hosts at once (<see cref="MaxAgentsSetting"/>).</summary>
    public int MaxAgents { get; }

    /// <summary>Neurons hosted now.</summary>
    public int HostedCount => _hosted.Count;

    /// <summary>Hosting requests refused, by reason: <c>max_agents</c> (the silo hosts <see cref="MaxAgents"/>) and <c>fabric_full</c> (the fabric's ring pool has no free ring).</summary>
    public (long AtLimit, long FabricFull) Refusals => (Interlocked.Read(ref _refusedAtLimit), Interlocked.Read(ref _refusedFabricFull));

    /// <summary>Hosts neuron <paramref name="id"/> with <paramref name="behaviour"/> (replacing any earlier host) and starts the loop if needed.</summary>
    /// <exception cref="AgentCapacityException">The silo hosts <see cref="MaxAgents"/> neurons already, or its fabric has no free ring; nothing changed. Replacing the host of a neuron that is hosted already is never refused for capacity.</exception>
    public NeuronHandle Host(uint id, INeuronBehaviour behaviour, int refractoryTicks, IEnumerable<uint> targets)
    {
        lock (_lock)
        {
            var replacing = Cortex.Contains(id);
            if (!replacing && _hosted.Count >= MaxAgents)
            {
                Interlocked.Increment(ref _refusedAtLimit);
                NeuroMesh.Telemetry.NeuroMeshTelemetry.RecordHostRefused("max_agents");
                throw new AgentCapacityException($"Cannot host neuron {id}: this silo hosts {_hosted.Count:N0} agents, its limit {MaxAgentsSetting} = {MaxAgents:N0}. Raise {MaxAgentsSetting} (the fabric's ring pool grows with it), or add silos.");
            }

            if (!replacing && Cortex.Fabric.FreeSmallRings == 0)
            {
                throw FabricFull(id, null);
            }

            if (replacing)
            {
                Cortex.RemoveNeuron(id);
                _hosted.TryRemove(id, out _);
            }

            NeuronHandle handle;
            try
            {
                handle = Cortex.AddNeuron(id, behaviour, refractoryTicks);
            }
            catch (FabricFullException e)
            {
                throw FabricFull(id, e);
            }

            _hosted[id] = 0;
            SetWanted(id, [.. targets]);
            _link?.SetTargets(id, _wanted[id]);
            SubscribeHosted(id, _wanted[id]);
            if (_wantedBy.TryGetValue(id, out var sources))
            {
                foreach (var source in sources)
                {
                    if (source != id && Cortex.Contains(source))
                    {
                        Cortex.Subscribe(source, id);
                    }
                }
            }

            if (!Cortex.IsRunning)
            {
                Cortex.Start();
            }

            return handle;
        }
    }

    /// <summary>
    /// Replaces hosted neuron <paramref name="id"/>'s behaviour between two passes, keeping its ring, subscriptions, card
    /// and handle (<see cref="Cortex.ReplaceBehaviour"/>); false when it is not hosted.
    /// </summary>
    public bool Replace(uint id, INeuronBehaviour behaviour, Action<NeuronHandle>? beforeSwap = null)
    {
        lock (_lock)
        {
            if (!Cortex.Contains(id))
            {
                return false;
            }

            Cortex.ReplaceBehaviour(id, behaviour, beforeSwap);
            return true;
        }
    }

    /// <summary>
    /// Publishes the card of hosted neuron <paramref name="card"/>.NeuronId in the mesh's directory (replacing an earlier
    /// one), where behaviours on this silo discover it (a WebAssembly module's <c>find</c>); false when it is not hosted.
    /// The card leaves the directory with its neuron.
    /// </summary>
    public bool Advertise(AgentCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        lock (_lock)
        {
            if (!Cortex.Contains(card.NeuronId))
            {
                return false;
            }

            Cortex.Directory.TryUnregister(card.NeuronId, out _);
            Cortex.Directory.Register(card);
            return true;
        }
    }

    /// <summary>Removes neuron <paramref name="id"/>'s card from the mesh's directory; false when it had none.</summary>
    public bool Withdraw(uint id)
    {
        lock (_lock)
        {
            return Cortex.Directory.TryUnregister(id, out _);
        }
    }

    /// <summary>Replaces the targets a hosted source sends to; targets hosted now are subscribed at once.</summary>
    public void SetTargets(uint source, IEnumerable<uint> targets)
    {
        lock (_lock)
        {
            if (!Cortex.Contains(source))
            {
                return;
            }

            foreach (var old in Cortex.SubscribersOf(source))
            {
                Cortex.Unsubscribe(source, old);
            }

            uint[] wanted = [.. targets];
            SetWanted(source, wanted);
            _link?.SetTargets(source, wanted);
            SubscribeHosted(source, wanted);
        }
    }

    /// <summary>Stops hosting neuron <paramref name="id"/>; false when it was not hosted.</summary>
    public bool Leave(uint id)
    {
        lock (_lock)
        {
            SetWanted(id, null);
            _link?.Forget(id);
            if (!Cortex.Contains(id))
            {
                return false;
            }

            Cortex.RemoveNeuron(id);
            _hosted.TryRemove(id, out _);
            return true;
        }
    }

    /// <summary>True while neuron <paramref name="id"/> is hosted (lock-free: the mesh ingress asks it for every spike).</summary>
    public bool IsHosted(uint id) => _hosted.ContainsKey(id);

    /// <summary>True when this mesh has a cross-silo path.</summary>
    public bool IsLinked => _link is not null;

    /// <summary>True when spikes to <paramref name="neuron"/> need no region look-up: it is known, or there is no cross-silo path.</summary>
    public bool KnowsRegion(uint neuron) => _link is null || _link.KnowsRegion(neuron);

    /// <summary>Records the region of <paramref name="neuron"/>, so that spikes to it go to the silo that region is placed on.</summary>
    public void SetRegion(uint neuron, RegionPath region) => _link?.SetRegion(neuron, region);

    /// <summary>The cross-silo counters of neuron <paramref name="id"/>: pairs sent, dropped before the outbox, spikes received.</summary>
    public (long Sent, long Dropped, long Received) RemoteCountersOf(uint id) => _link?.CountersOf(id) ?? default;

    /// <summary>The silo's cross-silo accounting, or null without a cross-silo path.</summary>
    public AgentMeshCounters? MeshCounters() => _link?.Snapshot();

    /// <summary>The counters of a hosted neuron, or null.</summary>
    public NeuronCounters? CountersOf(uint id)
    {
        lock (_lock)
        {
            return Cortex.Contains(id) ? Cortex.GetNeuron(id).Counters : null;
        }
    }

    /// <summary>The recent faults of neuron <paramref name="id"/>, oldest first.</summary>
    public IReadOnlyList<BehaviourFault> FaultsOf(uint id) => [.. Cortex.RecentFaults.Where(f => f.NeuronId == id)];

    /// <inheritdoc />
    public void Dispose()
    {
        _attachment?.Dispose();
        Cortex.Dispose();
    }

    private AgentCapacityException FabricFull(uint id, FabricFullException? inner)
    {
        Interlocked.Increment(ref _refusedFabricFull);
        NeuroMesh.Telemetry.NeuroMeshTelemetry.RecordHostRefused("fabric_full");
        var layout = Cortex.Fabric.Layout;
        var message = $"Cannot host neuron {id}: the silo's fabric has no free ring ({Cortex.Fabric.LeasedRings:N0} rings hold {Cortex.Fabric.LeasedRingBytes:N0} of its {layout.RingPoolBytes:N0} ring-pool bytes, room for {layout.MaxSmallRings:N0} idle agents; {_hosted.Count:N0} agents hosted). Raise {MaxAgentsSetting} (now {MaxAgents:N0}; it sizes the ring pool) or NeuroMesh:Fabric:Tier.";
        return inner is null ? new AgentCapacityException(message) : new AgentCapacityException(message, inner);
    }

    /// <summary>Records (or, with null, forgets) the targets <paramref name="source"/> wants, and the reverse index.</summary>
    private void SetWanted(uint source, uint[]? wanted)
    {
        if (_wanted.Remove(source, out var old))
        {
            foreach (var target in old)
            {
                if (_wantedBy.TryGetValue(target, out var sources) && sources.Remove(source) && sources.Count == 0)
                {
                    _wantedBy.Remove(target);
                }
            }
        }

        if (wanted is null)
        {
            return;
        }

        _wanted[source] = wanted;
        foreach (var target in wanted)
        {
            if (!_wantedBy.TryGetValue(target, out var sources))
            {
                _wantedBy[target] = sources = [];
            }

            sources.Add(source);
        }
    }

    private void SubscribeHosted(uint source, uint[] targets)
    {
        foreach (var target in targets)
        {
            if (Cortex.Contains(target))
            {
                Cortex.Subscribe(source, target);
            }
        }
    }
}
