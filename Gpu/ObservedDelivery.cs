using NeuroMesh.Spikes;

namespace NeuroMesh.Engine;

/// <summary>
/// A synaptic delivery onto an observed (behaviour-hosted) neuron: the spike as the synapse's filter saw it (the
/// published spike of an agent, or one synthesised for a population neuron), its target, the tick at which it
/// arrives (propagation tick plus the synapse delay) and the synapse weight.
/// </summary>
public readonly record struct ObservedDelivery(Spike Spike, int Target, long ArrivalTick, double Weight);
