using NeuroMesh.Spikes;

namespace NeuroMesh.Engine;

/// <summary>
/// A lockstep spiking-network engine built from a <see cref="Network.NetworkSpec"/>. Time advances in ticks of dt.
/// The edit and injection methods must not be called while <see cref="Run"/> or <see cref="Step"/> is running;
/// their effect starts with the next tick.
/// </summary>
public interface IPropagationEngine : IDisposable
{
    /// <summary>The number of neurons (all populations, in spec order).</summary>
    int NeuronCount { get; }

    /// <summary>The next tick to run (0 before the first).</summary>
    long CurrentTick { get; }

    /// <summary>The time step in ms.</summary>
    double Dt { get; }

    /// <summary>The number of threads that step the network.</summary>
    int Threads { get; }

    /// <summary>The number of synapses (sparse and dense, after pending edits).</summary>
    long SynapseCount { get; }

    /// <summary>Counters: clipped weights, filtered spikes, saturated inputs.</summary>
    EngineCounters Counters { get; }

    /// <summary>Runs <paramref name="ticks"/> ticks and returns their spikes, counts, hash and wall time.</summary>
    RunResult Run(long ticks);

    /// <summary>Runs one tick and returns the neurons that fired in it, in ascending order (valid until the next call).</summary>
    ReadOnlySpan<int> Step();

    /// <summary>Adds <paramref name="weight"/> to a neuron's input <paramref name="channel"/>; it arrives <paramref name="delayTicks"/> ticks after the next tick starts.</summary>
    void Inject(int neuron, double weight, SpikeType channel = SpikeType.Excitatory, int delayTicks = 0);

    /// <summary>Makes a neuron fire in the next tick, whatever its potential (it is reset and becomes refractory).</summary>
    void ForceSpike(int neuron);

    /// <summary>
    /// Routes a spike from <see cref="Spike.Source"/> through that neuron's synapses in the next tick; dendritic filters
    /// see this spike (payload, priority, type). The source does not fire or reset, and STDP ignores the delivery.
    /// A spike from an unknown source is dropped and counted.
    /// </summary>
    void Deliver(in Spike spike);

    /// <summary>Adds a synapse; it takes effect from the next tick.</summary>
    /// <remarks>
    /// Pending additions rebuild the synapse tables before the next tick (O(synapses), so batch them). Added synapses are
    /// not plastic, and a rebuild restarts R-STDP eligibility traces at zero.
    /// </remarks>
    void AddSynapse(SynapseDefinition synapse);

    /// <summary>Removes every synapse from <paramref name="source"/> to <paramref name="target"/>; returns how many it removed.</summary>
    int PruneSynapses(int source, int target);

    /// <summary>The current weight of the first synapse from <paramref name="source"/> to <paramref name="target"/>.</summary>
    bool TryGetWeight(int source, int target, out double weight);

    /// <summary>A copy of a state variable ("v", "ge" or "gi") of every neuron.</summary>
    float[] ReadState(string variable);

    /// <summary>
    /// Marks a neuron as hosted by a behaviour (an agent), or unmarks it. A hosted neuron's membrane still integrates,
    /// but crossing the threshold does not propagate: it is reported by <see cref="DrainThresholdCrossings"/> so that the
    /// behaviour decides what to send, and only the spikes passed to <see cref="Fire"/> propagate and count as its
    /// firings. Every synaptic delivery onto a hosted neuron is recorded for <see cref="DrainObserved"/>.
    /// </summary>
    void Observe(int neuron, bool observed = true);

    /// <summary>
    /// Makes <see cref="Spike.Source"/> fire in the next tick carrying <paramref name="spike"/>: it propagates through
    /// every synapse of the source (dendritic filters see this spike), is recorded in the spike train, and counts for
    /// plasticity like any other firing. A second call for the same source before the next tick replaces the spike.
    /// </summary>
    void Fire(in Spike spike);

    /// <summary>Moves the deliveries onto observed neurons recorded since the last call into <paramref name="destination"/>, ordered by arrival tick, target, source, the spike's tick and sequence, and weight (independent of the thread count).</summary>
    /// <returns>How many were added.</returns>
    int DrainObserved(List<ObservedDelivery> destination);

    /// <summary>Moves the observed neurons whose membrane crossed the threshold since the last call into <paramref name="destination"/>, in ascending order per tick.</summary>
    /// <returns>How many were added.</returns>
    int DrainThresholdCrossings(List<int> destination);
}
