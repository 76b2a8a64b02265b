using System.Runtime.InteropServices;
using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>The pass: route input, collect the Axons, wake the receivers, fire, tick, release payloads.</summary>
public sealed partial class Cortex
{
    private readonly List<MeshNeuron> _wake = [];
    private readonly List<ArenaRef> _pendingRelease = [];
    private uint[] _orderIds = [];
    private bool _hasTicking;
    private List<Spike> _spareInjected = [];
    private List<uint> _spareStimuli = [];
    private NeuronCounters _retired;
    private long _injectedTotal;
    private long _collected;
    private long _delivered;
    private long _deliveries;
    private long _droppedNoSubscribers;
    private long _droppedUnknownTarget;
    private long _droppedTargetRemoved;
    private long _droppedSourceRemoved;
    private long _stimuliDropped;
    private long _badPayloadRefs;
    private long _lateDeliveriesDropped;
    private int _delayedCount;
    private long _forwarded;
    private ICortexEgress? _egress;

    /// <summary>The accounting; exact between passes while no outside thread is firing.</summary>
    public CortexCounters Counters
    {
        get
        {
            lock (_passLock)
            {
                lock (_inputLock)
                {
                    var sum = _retired;
                    long inFlight = _injected.Count;
                    foreach (var neuron in _neurons.Values)
                    {
                        sum = Add(sum, neuron.Handle.Counters);
                        inFlight += neuron.Reader.Available;
                    }

                    return new CortexCounters(
                        Tick, sum.Fired, _injectedTotal, _delivered, _deliveries,
                        _droppedNoSubscribers, _droppedUnknownTarget, _droppedTargetRemoved, _droppedSourceRemoved, inFlight,
                        sum.RefusedRefractory, sum.RefusedAxonFull, sum.RefusedArenaFull, sum.Wakes, sum.Faults, _stimuliDropped, _badPayloadRefs, _forwarded);
                }
            }
        }
    }

    /// <summary>Spikes collected from the neurons' Axons so far (counted once per drained batch).</summary>
    public long Collected
    {
        get
        {
            lock (_passLock)
            {
                return _collected;
            }
        }
    }

    /// <summary>True when spikes or input wait for a pass.</summary>
    public bool HasWork()
    {
        if (Volatile.Read(ref _pendingInput) > 0 || Volatile.Read(ref _delayedCount) > 0)
        {
            return true;
        }

        EnsureOrder();
        foreach (var neuron in Volatile.Read(ref _order))
        {
            if (neuron.Reader.Available > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs one pass (one tick) in ticked mode.</summary>
    /// <returns>How many spikes the pass routed (injected plus collected).</returns>
    /// <exception cref="InvalidOperationException">The mesh is free-running, or the call comes from inside a behaviour callback.</exception>
    public int Step()
    {
        lock (_passLock)
        {
            ThrowIfDisposed();
            if (_inPass)
            {
                throw new InvalidOperationException("Step cannot be called from inside a behaviour callback.");
            }

            if (IsRunning)
            {
                throw new InvalidOperationException("The mesh is free-running; Stop it before stepping it by hand.");
            }

            return StepCore();
        }
    }

    /// <summary>Runs passes until no spike or input is waiting.</summary>
    /// <returns>How many passes ran.</returns>
    /// <exception cref="InvalidOperationException">Still busy after <paramref name="maxSteps"/> passes (a cycle that never settles), or as <see cref="Step"/>.</exception>
    public int RunUntilIdle(int maxSteps = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSteps);
        var steps = 0;
        while (HasWork())
        {
            if (steps == maxSteps)
            {
                throw new InvalidOperationException($"The mesh was still busy after {maxSteps} passes; a cycle of agents may never settle.");
            }

            Step();
            steps++;
        }

        return steps;
    }

    /// <summary>Routes one spike into its receivers' inboxes, or drops and counts it. Called inside a pass.</summary>
    internal void Route(in Spike spike, bool fired)
    {
        if (spike.IsBroadcast && _engine is not null)
        {
            if (RouteThroughEngine(_engine, in spike, fired))
            {
                _delivered++;
            }
            else
            {
                _droppedNoSubscribers++;
                ReleasePayload(in spike);
            }

            return;
        }

        if (spike.IsBroadcast)
        {
            var targets = _subscriptions.TargetsOf(in spike);
            var reached = 0;
            foreach (var target in targets)
            {
                if (_neurons.TryGetValue(target, out var neuron))
                {
                    Enqueue(neuron, in spike);
                    reached++;
                }
            }

            var forwarded = ForwardRemote(in spike);
            if (reached + forwarded == 0)
            {
                _droppedNoSubscribers++;
                ReleasePayload(in spike);
                return;
            }

            _deliveries += reached + forwarded;
        }
        else if (_neurons.TryGetValue(spike.Target, out var neuron))
        {
            Enqueue(neuron, in spike);
            _deliveries++;
        }
        else if (ForwardRemote(in spike) is > 0 and var forwarded)
        {
            _deliveries += forwarded;
        }
        else
        {
            _ = _removed.Contains(spike.Target) ? _droppedTargetRemoved++ : _droppedUnknownTarget++;
            ReleasePayload(in spike);
            return;
        }

        _delivered++;
        if (spike.TryGetArenaRef(out var reference))
        {
            _pendingRelease.Add(reference);
        }
    }

    internal void CountCollected(int count) => _collected += count;

    /// <summary>
    /// Hands a spike to the egress for its remote receivers. A spike that already crossed a silo is never forwarded again
    /// (no loops between silos); an arena payload cannot cross (the egress counts it dropped with that reason).
    /// </summary>
    private int ForwardRemote(in Spike spike)
    {
        if (_egress is null || (spike.Flags & SpikeFlags.Remote) != 0)
        {
            return 0;
        }

        var forwarded = _egress.Forward(in spike);
        _forwarded += forwarded;
        return forwarded;
    }

    private static NeuronCounters Add(NeuronCounters a, NeuronCounters b) => new(
        a.Fired + b.Fired,
        a.RefusedRefractory + b.RefusedRefractory,
        a.RefusedAxonFull + b.RefusedAxonFull,
        a.RefusedArenaFull + b.RefusedArenaFull,
        a.Received + b.Received,
        a.Wakes + b.Wakes,
        a.Faults + b.Faults);

    private int StepCore()
    {
        _inPass = true;
        try
        {
            EnsureOrder();
            var tick = _clock.Tick;
            var routed = RouteInput(out var stimuli);
            var handler = new CollectHandler(this);
            foreach (var neuron in _order)
            {
                routed += neuron.Reader.Drain(ref handler);
                if (neuron.Handle.Axon.HasRetiredBlocks)
                {
                    // The ring grew; now that the router has read past the old block, give it back to the fabric.
                    neuron.Handle.Axon.ReclaimRetired();
                }
            }

            if (_engine is not null)
            {
                StepEngine(_engine);
            }

            WakeReceivers(tick);
            FireCrossings(tick);
            foreach (var id in CollectionsMarshal.AsSpan(stimuli))
            {
                if (_neurons.TryGetValue(id, out var neuron))
                {
                    Invoke(neuron, tick, nameof(INeuronBehaviour.OnFire), static n => n.Behaviour.OnFire(n.Handle));
                }
                else
                {
                    _stimuliDropped++;
                }
            }

            stimuli.Clear();
            _spareStimuli = stimuli;
            if (_hasTicking)
            {
                foreach (var neuron in _order)
                {
                    if (neuron.Ticking is not null)
                    {
                        Invoke(neuron, tick, nameof(ITickingBehaviour.OnTick), static n => n.Ticking!.OnTick(n.Handle));
                    }
                }
            }

            foreach (var reference in CollectionsMarshal.AsSpan(_pendingRelease))
            {
                Release(reference);
            }

            _pendingRelease.Clear();
            _egress?.EndPass();
            _clock.Advance();
            return routed;
        }
        finally
        {
            _inPass = false;
        }
    }

    private int RouteInput(out List<uint> stimuli)
    {
        // Most passes (every hop of a running mesh) find no outside input; skipping the input lock then saves one of
        // the pass's two lock round trips (a profile of agent ping-pong put the two locks at about a fifth of a pass).
        // Safe: a writer bumps _pendingInput under the lock after adding, so input this read misses keeps HasWork true
        // and is routed by the next pass.
        if (Volatile.Read(ref _pendingInput) == 0)
        {
            stimuli = _spareStimuli;
            return 0;
        }

        List<Spike> injected;
        lock (_inputLock)
        {
            injected = _injected;
            stimuli = _stimuli;
            _injected = _spareInjected;
            _stimuli = _spareStimuli;
            Volatile.Write(ref _pendingInput, 0);
        }

        foreach (ref readonly var spike in CollectionsMarshal.AsSpan(injected))
        {
            Route(in spike, fired: false);
        }

        var count = injected.Count;
        injected.Clear();
        _spareInjected = injected;
        return count;
    }

    private void WakeReceivers(uint tick)
    {
        // Deterministic: receivers wake in id order, each once, with its inbox in arrival order.
        _wake.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        foreach (var neuron in _wake)
        {
            var inbox = CollectionsMarshal.AsSpan(neuron.Inbox);
            foreach (ref readonly var spike in inbox)
            {
                try
                {
                    neuron.Behaviour.OnSpike(in spike, neuron.Handle);
                }
                catch (Exception e)
                {
                    Fault(neuron, nameof(INeuronBehaviour.OnSpike), tick, e);
                }
            }

            neuron.Handle.CountDelivered(inbox.Length);
            neuron.Inbox.Clear();
            neuron.Queued = false;
        }

        _wake.Clear();
    }

    private void Enqueue(MeshNeuron neuron, in Spike spike)
    {
        neuron.Inbox.Add(spike);
        if (!neuron.Queued)
        {
            neuron.Queued = true;
            _wake.Add(neuron);
        }
    }

    private void Invoke(MeshNeuron neuron, uint tick, string callback, Action<MeshNeuron> call)
    {
        try
        {
            call(neuron);
        }
        catch (Exception e)
        {
            Fault(neuron, callback, tick, e);
        }
    }

    private void Fault(MeshNeuron neuron, string callback, uint tick, Exception exception)
    {
        neuron.Handle.CountFault();
        lock (_recentFaults)
        {
            _recentFaults.Enqueue(new BehaviourFault(neuron.Id, callback, tick, exception));
            while (_recentFaults.Count > _options.RecentFaultCapacity)
            {
                _recentFaults.Dequeue();
            }
        }
    }

    private void ReleasePayload(in Spike spike)
    {
        if (spike.TryGetArenaRef(out var reference))
        {
            Release(reference);
        }
    }

    private void Release(ArenaRef reference)
    {
        try
        {
            Fabric.Payloads.Release(reference);
        }
        catch (ArenaException)
        {
            // An injected spike may carry a forged or stale reference; count it rather than fail the pass.
            _badPayloadRefs++;
        }
    }
}
