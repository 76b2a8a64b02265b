namespace NeuroMesh.Agents;

/// <summary>A behaviour threw: which neuron, in which callback, in which tick, and what it threw.</summary>
/// <param name="NeuronId">The neuron whose behaviour threw.</param>
/// <param name="Callback">The callback that threw: <c>OnSpike</c>, <c>OnFire</c> or <c>OnTick</c>.</param>
/// <param name="Tick">The tick of the pass.</param>
/// <param name="Exception">What it threw.</param>
public sealed record BehaviourFault(uint NeuronId, string Callback, uint Tick, Exception Exception);
