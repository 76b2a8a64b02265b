using NeuroMesh.Spikes;

namespace NeuroMesh.Synapses;

/// <summary>A predicate over a spike, registered under a name for <see cref="CustomFilter"/>.</summary>
public delegate bool SpikePredicate(in Spike spike);
