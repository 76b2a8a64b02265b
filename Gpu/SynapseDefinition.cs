using NeuroMesh.Spikes;
using NeuroMesh.Synapses;

namespace NeuroMesh.Engine;

/// <summary>A synapse to add at run time: endpoints (global neuron ids), weight, delay in ticks, channel and an optional filter.</summary>
public readonly record struct SynapseDefinition(int Source, int Target, double Weight, int DelayTicks = 0, SpikeType Channel = SpikeType.Excitatory, DendriticFilter? Filter = null);
