using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// An in-silo mesh of agent neurons that needs no engine: it owns (or borrows) a <see cref="SpikeFabric"/>, gives each
/// neuron its own Axon, routes broadcasts through a subscription list (<see cref="ISubscriptionTable"/>) and addressed
/// spikes straight to their target, and calls the behaviours.
/// </summary>
/// <remarks>
/// <para>A pass (one tick): route injected spikes; collect every Axon and route each spike into its receivers' inboxes;
/// wake each receiving neuron once with its whole inbox (never once per spike); call <c>OnFire</c> for stimulated
/// neurons and <c>OnTick</c> for ticking behaviours; release the pass's arena payloads; advance the tick. Spikes fired
/// during pass t are collected in pass t+1, so every hop takes exactly one tick and a run is deterministic.</para>
/// <para>Two modes over the same pass: ticked (<see cref="Step"/>, <see cref="RunUntilIdle"/>) and free-running
/// (<see cref="Start"/>: a loop thread runs passes while there is work and otherwise waits with the configured
/// <see cref="WaitStrategy"/>).</para>
/// <para>Spikes for unknown or removed neurons are dropped and counted, never thrown; exceptions from behaviours are
/// caught, counted and kept in <see cref="RecentFaults"/>. See <see cref="CortexCounters"/> for the accounting.</para>
/// <para>Thread safety: every member may be called from any thread; passes and edits are serialised by one lock.
/// Edits (add, remove, subscribe) are refused from inside a behaviour callback.</para>
/// </remarks>
public sealed partial class Cortex : IDisposable
{
    private readonly Lock _passLock = new();
    private readonly Lock _inputLock = new();
    private readonly CortexOptions _options;
    private readonly bool _ownsFabric;
    private readonly MeshClock _clock = new();
    private readonly MeshDoorbell _doorbell = new();
    private readonly SubscriptionTable _subscriptions = new();
    private readonly Dictionary<uint, MeshNeuron> _neurons = [];
    private readonly HashSet<uint> _removed = [];
    private readonly Queue<BehaviourFault> _recentFaults = new();
    private MeshNeuron[] _order = [];
    private bool _orderStale;
    private List<Spike> _injected = [];
    private List<uint> _stimuli = [];
    private int _pendingInput;
    private bool _inPass;
    private bool _disposed;

    /// <summary>Creates a mesh with its own fabric, sized by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    public Cortex(CortexOptions? options = null)
        : this(new SpikeFabric((options ?? new CortexOptions()).ToLayout()), options, ownsFabric: true)
    {
    }

    /// <summary>Creates a mesh over a fabric that someone else owns (the silo's); the mesh leases one ring per neuron, and the fabric's ring pool is its only limit.</summary>
    public Cortex(SpikeFabric fabric, CortexOptions? options = null)
        : this(fabric, options, ownsFabric: false)
    {
    }

    private Cortex(SpikeFabric fabric, CortexOptions? options, bool ownsFabric, Engine.IPropagationEngine? engine = null)
    {
        _engine = engine;
        ArgumentNullException.ThrowIfNull(fabric);
        _options = options ?? new CortexOptions();
        _options.Validate();
        Fabric = fabric;
        _ownsFabric = ownsFabric;
    }

    /// <summary>The fabric that holds the neurons' Axons and the payload arena.</summary>
    public SpikeFabric Fabric { get; }

    /// <summary>Cards of the agents added with <see cref="AddAgent"/>, for discovery.</summary>
    public AgentDirectory Directory { get; } = new();

    /// <summary>
    /// Where spikes for receivers outside this mesh go (the silo's cross-silo path), or null for none (they are then
    /// dropped as having no subscribers or an unknown target). Set between passes; counted in <see cref="CortexCounters.Forwarded"/>.
    /// </summary>
    public ICortexEgress? Egress
    {
        get
        {
            lock (_passLock)
            {
                return _egress;
            }
        }

        set
        {
            lock (_passLock)
            {
                ThrowIfCannotEdit();
                _egress = value;
            }
        }
    }

    /// <summary>The mesh's clock: the tick is the number of passes run.</summary>
    public ITickClock Clock => _clock;

    /// <summary>The current tick (passes run so far).</summary>
    public uint Tick => _clock.Tick;

    /// <summary>True while the free-running loop runs.</summary>
    public bool IsRunning => Volatile.Read(ref _loop) is not null;

    /// <summary>Ids of the hosted neurons, ascending.</summary>
    public IReadOnlyList<uint> NeuronIds
    {
        get
        {
            EnsureOrder();
            return [.. Volatile.Read(ref _order).Select(n => n.Id)];
        }
    }

    /// <summary>The most recent behaviour faults, oldest first (at most <see cref="CortexOptions.RecentFaultCapacity"/>).</summary>
    public IReadOnlyList<BehaviourFault> RecentFaults
    {
        get
        {
            lock (_recentFaults)
            {
                return [.. _recentFaults];
            }
        }
    }

    /// <summary>Adds a neuron with a behaviour and its own Axon.</summary>
    /// <param name="id">The neuron id: unique in this mesh, not <see cref="Spike.BroadcastTarget"/>.</param>
    /// <param name="behaviour">What the neuron does.</param>
    /// <param name="refractoryTicks">Ticks of silence after a firing tick (see <see cref="NeuronHandle"/>).</param>
    /// <exception cref="ArgumentException">The id is taken or reserved, or the refractory period is negative.</exception>
    /// <exception cref="FabricFullException">The fabric's ring pool has no free ring.</exception>
    /// <exception cref="InvalidOperationException">The mesh holds <see cref="CortexOptions.MaxNeurons"/> neurons (a mesh with its own fabric), or the call comes from inside a behaviour callback.</exception>
    public NeuronHandle AddNeuron(uint id, INeuronBehaviour behaviour, int refractoryTicks = 0)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        ArgumentOutOfRangeException.ThrowIfNegative(refractoryTicks);
        if (id == Spike.BroadcastTarget)
        {
            throw new ArgumentOutOfRangeException(nameof(id), $"Neuron id {id} (0x{id:X8}) is the broadcast target and cannot name a neuron.");
        }

        lock (_passLock)
        {
            ThrowIfCannotEdit();
            if (_neurons.ContainsKey(id))
            {
                throw new ArgumentException($"Neuron {id} is already in this mesh.", nameof(id));
            }

            if (_engine is not null && id >= (uint)_engine.NeuronCount)
            {
                throw new ArgumentOutOfRangeException(nameof(id), $"Neuron {id} is not in the engine's network, which has neurons 0..{_engine.NeuronCount - 1}.");
            }

            if (_ownsFabric && _neurons.Count >= _options.MaxNeurons)
            {
                throw new InvalidOperationException($"Cannot add neuron {id}: this mesh hosts {_neurons.Count} neurons, its limit (CortexOptions.MaxNeurons = {_options.MaxNeurons}).");
            }

            // A ring sized by traffic: it starts at the fabric's smallest ring and grows only when the neuron fires
            // faster than its spikes are routed.
            var axon = Fabric.LeaseGrowableAxon(_options.WaitStrategy);
            try
            {
                var reader = axon.CreateReader();
                var handle = new NeuronHandle(id, axon, _clock, Fabric.Payloads, refractoryTicks, _doorbell.Ring);
                _neurons.Add(id, new MeshNeuron(handle, behaviour, reader));
            }
            catch
            {
                axon.Dispose();
                throw;
            }

            _removed.Remove(id);
            _engine?.Observe((int)id);
            RebuildOrder();
            return _neurons[id].Handle;
        }
    }

    /// <summary>
    /// Adds an agent: a neuron plus its card in <see cref="Directory"/>. The card's capabilities are merged with the
    /// behaviour's <see cref="INeuronBehaviour.Capabilities"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The neuron id or the card is already registered, or a capability name is invalid.</exception>
    public NeuronHandle AddAgent(AgentCard card, INeuronBehaviour behaviour, int refractoryTicks = 0)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(behaviour);
        var merged = card.WithCapabilities(card.Capabilities.Union(CapabilityName.NormalizeAll(behaviour.Capabilities)));
        lock (_passLock)
        {
            ThrowIfCannotEdit();
            Directory.Register(merged);
            try
            {
                return AddNeuron(card.NeuronId, behaviour, refractoryTicks);
            }
            catch
            {
                Directory.TryUnregister(card.NeuronId, out _);
                throw;
            }
        }
    }

    /// <summary>True when neuron <paramref name="id"/> is hosted here.</summary>
    public bool Contains(uint id)
    {
        lock (_passLock)
        {
            return _neurons.ContainsKey(id);
        }
    }

    /// <summary>The handle of a hosted neuron.</summary>
    /// <exception cref="KeyNotFoundException">The neuron is not in this mesh.</exception>
    public NeuronHandle GetNeuron(uint id)
    {
        lock (_passLock)
        {
            return Find(id, "get").Handle;
        }
    }

    /// <summary>
    /// Removes a neuron: its subscriptions, its card, and its Axon (its ring goes back to the fabric). Spikes it fired
    /// that were not yet routed are dropped as <see cref="CortexCounters.DroppedSourceRemoved"/>; later spikes
    /// addressed to it are dropped as <see cref="CortexCounters.DroppedTargetRemoved"/>. Its handle stops working, and a
    /// behaviour that is <see cref="IDisposable"/> is disposed.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The neuron is not in this mesh.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a behaviour callback.</exception>
    public void RemoveNeuron(uint id)
    {
        lock (_passLock)
        {
            ThrowIfCannotEdit();
            var neuron = Find(id, "remove");
            while (neuron.Reader.TryRead(out var spike))
            {
                ReleasePayload(in spike);
                _droppedSourceRemoved++;
            }

            var counters = neuron.Handle.Counters;
            _retired = Add(_retired, counters);
            _subscriptions.RemoveNeuron(id);
            Directory.TryUnregister(id, out _);
            neuron.Reader.Dispose();
            neuron.Handle.Axon.Dispose();
            _neurons.Remove(id);
            _removed.Add(id);
            _engine?.Observe((int)id, observed: false);
            RebuildOrder();

            // A behaviour that holds native resources (a WebAssembly instance) gives them back with its neuron.
            (neuron.Behaviour as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Replaces a hosted neuron's behaviour between two passes, keeping everything else: its handle (counters, recorded
    /// state waiting for the log), its Axon with the spikes fired and not yet routed, its subscriptions and its card. So
    /// no spike is lost: each one reaches the old behaviour (in a pass before this call) or the new one (in a pass after).
    /// <paramref name="beforeSwap"/> runs first, with no pass running, so it can hand the old behaviour's state to the new
    /// one. The old behaviour is disposed when it is <see cref="IDisposable"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The neuron is not in this mesh.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a behaviour callback.</exception>
    public void ReplaceBehaviour(uint id, INeuronBehaviour behaviour, Action<NeuronHandle>? beforeSwap = null)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        lock (_passLock)
        {
            ThrowIfCannotEdit();
            var neuron = Find(id, "replace the behaviour of");
            beforeSwap?.Invoke(neuron.Handle);
            var old = neuron.Replace(behaviour);
            RebuildOrder();
            if (!ReferenceEquals(old, behaviour))
            {
                (old as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>Makes <paramref name="target"/> receive every broadcast of <paramref name="source"/>; false when it already did.</summary>
    /// <exception cref="KeyNotFoundException">Either neuron is not in this mesh.</exception>
    public bool Subscribe(uint source, uint target)
    {
        lock (_passLock)
        {
            ThrowIfCannotEdit();
            if (_engine is not null)
            {
                throw new InvalidOperationException("This Cortex routes broadcasts through its engine's synapses; connect neurons with Engine.AddSynapse or a projection in the NetworkSpec.");
            }

            Find(source, "subscribe from");
            Find(target, "subscribe");
            return _subscriptions.Subscribe(source, target);
        }
    }

    /// <summary>Stops <paramref name="target"/> receiving the broadcasts of <paramref name="source"/>; false when it did not.</summary>
    public bool Unsubscribe(uint source, uint target)
    {
        lock (_passLock)
        {
            ThrowIfCannotEdit();
            return _subscriptions.Unsubscribe(source, target);
        }
    }

    /// <summary>The subscribers of <paramref name="source"/>, ascending.</summary>
    public IReadOnlyList<uint> SubscribersOf(uint source)
    {
        lock (_passLock)
        {
            return _subscriptions.TargetsOf(source).ToArray();
        }
    }

    /// <summary>
    /// Injects a spike from outside (a client, a stimulus); it is routed at the start of the next pass like a fired
    /// spike (addressed: to its target; broadcast: to its Source's subscribers) and marked <see cref="SpikeFlags.External"/>.
    /// An arena payload must live in <see cref="SpikeFabric.Payloads"/> and is released after delivery.
    /// </summary>
    public void Inject(in Spike spike)
    {
        ThrowIfDisposed();
        var copy = spike;
        copy.Flags |= SpikeFlags.External;
        lock (_inputLock)
        {
            _injected.Add(copy);
            _injectedTotal++;
            Volatile.Write(ref _pendingInput, _pendingInput + 1);
        }

        _doorbell.Ring();
    }

    /// <summary>Makes neuron <paramref name="id"/> fire in the next pass: its behaviour's <see cref="INeuronBehaviour.OnFire"/> is called.</summary>
    /// <exception cref="KeyNotFoundException">The neuron is not in this mesh.</exception>
    public void Stimulate(uint id)
    {
        ThrowIfDisposed();
        EnsureOrder();
        if (Array.BinarySearch(Volatile.Read(ref _orderIds), id) < 0)
        {
            throw new KeyNotFoundException($"Cannot stimulate neuron {id}: it is not in this mesh.");
        }

        lock (_inputLock)
        {
            _stimuli.Add(id);
            Volatile.Write(ref _pendingInput, _pendingInput + 1);
        }

        _doorbell.Ring();
    }

    /// <summary>Stops the free-running loop if it runs, removes every neuron and frees the fabric if the mesh owns it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop();
        lock (_passLock)
        {
            _disposed = true;
            foreach (var neuron in _neurons.Values)
            {
                neuron.Reader.Dispose();
                neuron.Handle.Axon.Dispose();
                (neuron.Behaviour as IDisposable)?.Dispose();
            }

            _neurons.Clear();
            RebuildOrder();
        }

        if (_ownsFabric)
        {
            Fabric.Dispose();
        }
    }

    private MeshNeuron Find(uint id, string action)
        => _neurons.TryGetValue(id, out var neuron)
            ? neuron
            : throw new KeyNotFoundException($"Cannot {action} neuron {id}: it is not in this mesh{(_removed.Contains(id) ? " (it was removed)" : string.Empty)}.");

    /// <summary>
    /// Marks the id-ordered neuron list stale; it is rebuilt once, before the next pass or look-up needs it, so hosting
    /// n neurons one after another costs one sort, not n.
    /// </summary>
    private void RebuildOrder() => Volatile.Write(ref _orderStale, true);

    /// <summary>Rebuilds the id-ordered neuron list if an edit made it stale. Takes the pass lock (re-entrant).</summary>
    private void EnsureOrder()
    {
        if (!Volatile.Read(ref _orderStale))
        {
            return;
        }

        lock (_passLock)
        {
            if (!_orderStale)
            {
                return;
            }

            var order = _neurons.Values.ToArray();
            Array.Sort(order, static (a, b) => a.Id.CompareTo(b.Id));
            var ids = new uint[order.Length];
            var ticking = false;
            for (var i = 0; i < order.Length; i++)
            {
                ids[i] = order[i].Id;
                ticking |= order[i].Ticking is not null;
            }

            Volatile.Write(ref _order, order);
            Volatile.Write(ref _orderIds, ids);
            Volatile.Write(ref _hasTicking, ticking);
            Volatile.Write(ref _orderStale, false);
        }
    }

    private void ThrowIfCannotEdit()
    {
        ThrowIfDisposed();
        if (_inPass)
        {
            throw new InvalidOperationException("The mesh cannot be edited from inside a behaviour callback; edit it between passes.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
