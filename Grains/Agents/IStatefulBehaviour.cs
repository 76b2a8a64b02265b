namespace NeuroMesh.Agents;

/// <summary>
/// A behaviour whose state survives its neuron's deactivation, a restart and a lost silo. It records what changes as opaque
/// deltas (<see cref="NeuronHandle.RecordState"/>), which the neuron grain appends to its delta log; when the neuron is hosted
/// again, a fresh instance gets every logged delta, in order, through <see cref="Restore"/> before it sees any spike.
/// </summary>
public interface IStatefulBehaviour : INeuronBehaviour
{
    /// <summary>Applies one logged delta (in the order they were recorded; after a delta recorded with <c>replacesEarlier</c>, only it and later ones).</summary>
    void Restore(ReadOnlySpan<byte> delta);
}
