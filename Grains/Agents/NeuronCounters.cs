namespace NeuroMesh.Agents;

/// <summary>One neuron's accounting, read at one moment. Every attempt to fire is either fired or refused with a reason.</summary>
/// <param name="Fired">Spikes published to the neuron's Axon.</param>
/// <param name="RefusedRefractory">Attempts refused because the neuron was refractory.</param>
/// <param name="RefusedAxonFull">Attempts refused because the Axon had no room (or caught a second writer).</param>
/// <param name="RefusedArenaFull">Attempts refused because a large payload found no arena room.</param>
/// <param name="Received">Spikes handed to the neuron's behaviour.</param>
/// <param name="Wakes">Times the behaviour was woken with a batch of spikes (at most once per pass).</param>
/// <param name="Faults">Exceptions thrown by the behaviour.</param>
public readonly record struct NeuronCounters(long Fired, long RefusedRefractory, long RefusedAxonFull, long RefusedArenaFull, long Received, long Wakes, long Faults)
{
    /// <summary>Every attempt to fire.</summary>
    public long Attempts => Fired + Refused;

    /// <summary>Every refused attempt, whatever the reason.</summary>
    public long Refused => RefusedRefractory + RefusedAxonFull + RefusedArenaFull;
}
