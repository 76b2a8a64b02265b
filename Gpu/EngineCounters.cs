namespace NeuroMesh.Engine;

/// <summary>Engine counters since construction.</summary>
/// <param name="ClippedWeights">Plastic weight updates that hit wMin or wMax and were clipped.</param>
/// <param name="FilteredSpikes">Synaptic events that a dendritic filter rejected.</param>
/// <param name="SaturatedInputs">Injections clipped to the fixed-point accumulator range.</param>
/// <param name="DroppedDeliveries">Spikes given to <see cref="IPropagationEngine.Deliver"/> from unknown neurons, dropped.</param>
public readonly record struct EngineCounters(long ClippedWeights, long FilteredSpikes, long SaturatedInputs, long DroppedDeliveries);
