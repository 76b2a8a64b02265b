using NeuroMesh.Agents;
namespace NeuroMesh.Fabric;

/// <summary>
/// A mesh's accounting, read at one moment between passes. Every spike is accounted for exactly once:
/// <c>Fired + Injected = Delivered + Dropped + InFlight</c> (see <see cref="Balances"/>); every attempt to fire
/// is fired or refused with a reason.
/// </summary>
/// <param name="Ticks">Passes run so far (the current tick).</param>
/// <param name="Fired">Spikes published by the mesh's neurons, removed ones included.</param>
/// <param name="Injected">Spikes injected from outside with <see cref="Cortex.Inject"/>.</param>
/// <param name="Delivered">Spikes handed on: to at least one behaviour, to at least one remote receiver (through the <see cref="ICortexEgress"/>), or (with an engine) into the network's synapses.</param>
/// <param name="Deliveries">(spike, receiver) pairs: a broadcast to three subscribers is one spike and three deliveries; remote receivers included.</param>
/// <param name="DroppedNoSubscribers">Broadcast spikes with no route: no subscribers, or (with an engine) a source outside the network.</param>
/// <param name="DroppedUnknownTarget">Addressed spikes whose target never existed in this mesh.</param>
/// <param name="DroppedTargetRemoved">Addressed spikes whose target was removed.</param>
/// <param name="DroppedSourceRemoved">Spikes still in a neuron's Axon when the neuron was removed.</param>
/// <param name="InFlight">Spikes fired or injected and not yet routed.</param>
/// <param name="RefusedRefractory">Fire attempts refused because the neuron was refractory.</param>
/// <param name="RefusedAxonFull">Fire attempts refused because the neuron's Axon was full.</param>
/// <param name="RefusedArenaFull">Fire attempts refused because the payload arena was full.</param>
/// <param name="Wakes">Behaviour wakes (at most one per neuron per pass).</param>
/// <param name="Faults">Exceptions thrown by behaviours, caught and isolated.</param>
/// <param name="StimuliDropped">Stimuli for neurons removed before the stimulus was processed.</param>
/// <param name="BadPayloadRefs">Arena references that could not be released (stale or forged, on injected spikes); never read.</param>
/// <param name="Forwarded">(spike, remote receiver) pairs handed to the <see cref="ICortexEgress"/>: a part of <paramref name="Deliveries"/>.</param>
public readonly record struct CortexCounters(
    long Ticks,
    long Fired,
    long Injected,
    long Delivered,
    long Deliveries,
    long DroppedNoSubscribers,
    long DroppedUnknownTarget,
    long DroppedTargetRemoved,
    long DroppedSourceRemoved,
    long InFlight,
    long RefusedRefractory,
    long RefusedAxonFull,
    long RefusedArenaFull,
    long Wakes,
    long Faults,
    long StimuliDropped,
    long BadPayloadRefs,
    long Forwarded = 0)
{
    /// <summary>All dropped spikes, whatever the reason.</summary>
    public long Dropped => DroppedNoSubscribers + DroppedUnknownTarget + DroppedTargetRemoved + DroppedSourceRemoved;

    /// <summary>All refused fire attempts, whatever the reason.</summary>
    public long Refused => RefusedRefractory + RefusedAxonFull + RefusedArenaFull;

    /// <summary>True when every spike fired or injected is delivered, dropped with a reason, or in flight.</summary>
    public bool Balances => Fired + Injected == Delivered + Dropped + InFlight;
}
