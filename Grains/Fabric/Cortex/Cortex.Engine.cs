using NeuroMesh.Agents;
using NeuroMesh.Engine;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// The Cortex joined to a propagation engine: hosted neurons are neurons of the engine's network, their broadcasts
/// travel through the engine's synapses (weights, delays, dendritic filters, STDP), and the engine's deliveries onto
/// hosted neurons come back as <see cref="INeuronBehaviour.OnSpike"/> calls.
/// </summary>
/// <remarks>
/// A pass with an engine: (1) collect the Axons; (2) route: a neuron's first broadcast of the pass is its firing
/// (<see cref="IPropagationEngine.Fire"/>: it propagates, is recorded in the spike train and counts for plasticity),
/// later broadcasts of the same pass and injected broadcasts are delivered through the source's synapses without
/// counting as firings; addressed spikes go straight to their hosted target; (3–4) the engine integrates and fires one
/// tick; (5) behaviours: every delivery onto a hosted neuron that is due (arrival tick reached) wakes it once with its
/// inbox, and a hosted neuron whose membrane crossed the threshold gets <see cref="INeuronBehaviour.OnFire"/>;
/// (6) the engine applied STDP within its tick. Population neurons need no behaviour and no Axon.
/// </remarks>
public sealed partial class Cortex
{
    private readonly IPropagationEngine? _engine;
    private readonly HashSet<uint> _firedThisPass = [];
    private readonly List<ArenaRef> _handedOff = [];
    private readonly List<ObservedDelivery> _observed = [];
    private readonly List<ObservedDelivery> _delayed = [];
    private readonly List<int> _crossings = [];

    /// <summary>Creates a Cortex over <paramref name="engine"/>, with its own fabric sized by <paramref name="options"/>.</summary>
    public Cortex(IPropagationEngine engine, CortexOptions? options = null)
        : this(new SpikeFabric((options ?? new CortexOptions()).ToLayout()), options, ownsFabric: true, engine)
    {
    }

    /// <summary>Creates a Cortex over <paramref name="engine"/> and a fabric someone else owns (the silo's).</summary>
    public Cortex(IPropagationEngine engine, SpikeFabric fabric, CortexOptions? options = null)
        : this(fabric, options, ownsFabric: false, engine)
    {
    }

    /// <summary>The engine whose network this Cortex runs, or null for a mesh of agents alone.</summary>
    public IPropagationEngine? Engine => _engine;

    /// <summary>Deliveries whose hosted target was removed while they waited out their synaptic delay (each one a (spike, receiver) pair; the spike itself was delivered to the network).</summary>
    public long LateDeliveriesDropped
    {
        get
        {
            lock (_passLock)
            {
                return _lateDeliveriesDropped;
            }
        }
    }

    /// <summary>Deliveries onto hosted neurons that wait for their arrival tick (synaptic delays).</summary>
    public int PendingDeliveries
    {
        get
        {
            lock (_passLock)
            {
                return _delayed.Count;
            }
        }
    }

    /// <summary>Routes a broadcast into the engine's synapses; returns false when the engine does not know its source.</summary>
    private bool RouteThroughEngine(IPropagationEngine engine, in Spike spike, bool fired)
    {
        if (spike.Source >= (uint)engine.NeuronCount)
        {
            return false;
        }

        if (fired && _firedThisPass.Add(spike.Source))
        {
            engine.Fire(in spike);
        }
        else
        {
            engine.Deliver(in spike);
        }

        if (spike.TryGetArenaRef(out var reference))
        {
            // Held until the engine has said which hosted neurons the payload reaches (each of those retains it).
            _handedOff.Add(reference);
        }

        return true;
    }

    /// <summary>Runs the engine's tick and turns its deliveries and threshold crossings into behaviour calls.</summary>
    private void StepEngine(IPropagationEngine engine)
    {
        engine.Step();
        var now = engine.CurrentTick - 1;
        _firedThisPass.Clear();

        _observed.Clear();
        engine.DrainObserved(_observed);
        foreach (var delivery in _observed)
        {
            if (delivery.Spike.TryGetArenaRef(out var reference) && !TryRetain(reference))
            {
                continue;
            }

            if (delivery.ArrivalTick <= now)
            {
                DeliverObserved(in delivery);
            }
            else
            {
                _delayed.Add(delivery);
            }
        }

        foreach (var reference in _handedOff)
        {
            Release(reference);
        }

        _handedOff.Clear();
        if (_delayed.Count > 0)
        {
            // Deliveries keep their (arrival, target, source) order, so a neuron's inbox order is deterministic.
            var due = 0;
            for (var i = 0; i < _delayed.Count; i++)
            {
                if (_delayed[i].ArrivalTick <= now)
                {
                    var delivery = _delayed[i];
                    DeliverObserved(in delivery);
                    due++;
                }
                else if (due > 0)
                {
                    _delayed[i - due] = _delayed[i];
                }
            }

            _delayed.RemoveRange(_delayed.Count - due, due);
        }

        Volatile.Write(ref _delayedCount, _delayed.Count);
        _crossings.Clear();
        engine.DrainThresholdCrossings(_crossings);
    }

    /// <summary>Calls OnFire for hosted neurons whose membrane crossed the threshold in this pass's engine tick.</summary>
    private void FireCrossings(uint tick)
    {
        foreach (var id in _crossings)
        {
            if (_neurons.TryGetValue((uint)id, out var neuron))
            {
                Invoke(neuron, tick, nameof(INeuronBehaviour.OnFire), static n => n.Behaviour.OnFire(n.Handle));
            }
        }

        _crossings.Clear();
    }

    private void DeliverObserved(in ObservedDelivery delivery)
    {
        if (_neurons.TryGetValue((uint)delivery.Target, out var neuron))
        {
            Enqueue(neuron, delivery.Spike);
            _deliveries++;
            if (delivery.Spike.TryGetArenaRef(out var reference))
            {
                _pendingRelease.Add(reference);
            }
        }
        else
        {
            // The hosted neuron was removed while the delivery was in its synaptic delay.
            _lateDeliveriesDropped++;
            ReleasePayload(delivery.Spike);
        }
    }

    private bool TryRetain(ArenaRef reference)
    {
        try
        {
            Fabric.Payloads.Retain(reference);
            return true;
        }
        catch (ArenaException)
        {
            _badPayloadRefs++;
            return false;
        }
    }
}
