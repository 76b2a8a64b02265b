namespace NeuroMesh.Engine;

/// <summary>One recorded spike: the tick and the global neuron id.</summary>
public readonly record struct SpikeRecord(long Tick, int Neuron);
