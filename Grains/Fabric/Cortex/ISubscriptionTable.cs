using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// The routing seam of <see cref="Cortex"/>: which neurons receive a broadcast spike. Today it is a plain
/// subscription list per source (<see cref="SubscriptionTable"/>); the weighted, filtered, delay-bucketed synapse table
/// of the Cortex loop replaces it behind this interface.
/// </summary>
public interface ISubscriptionTable
{
    /// <summary>The receivers of <paramref name="spike"/> (a broadcast from its Source), in a deterministic order. Valid until the next edit.</summary>
    ReadOnlySpan<uint> TargetsOf(in Spike spike);

    /// <summary>Makes <paramref name="target"/> receive the broadcasts of <paramref name="source"/>; false when it already did.</summary>
    bool Subscribe(uint source, uint target);

    /// <summary>Stops <paramref name="target"/> receiving the broadcasts of <paramref name="source"/>; false when it did not.</summary>
    bool Unsubscribe(uint source, uint target);

    /// <summary>Removes every subscription from or to <paramref name="neuron"/>.</summary>
    void RemoveNeuron(uint neuron);
}
