using NeuroMesh.Spikes;

namespace NeuroMesh.Simulation;

/// <summary>
/// An input from outside the network: <see cref="Weight"/> (in the spec's synaptic units) added to <see cref="Neuron"/>'s
/// <see cref="Channel"/> input so that it acts in the update of <see cref="Tick"/>. Inputs are logged with the run, so a
/// replay applies them at the same ticks.
/// </summary>
/// <param name="Tick">The tick whose update the input acts in.</param>
/// <param name="Neuron">The target neuron (global id).</param>
/// <param name="Weight">The amount, finite.</param>
/// <param name="Channel">Excitatory or Inhibitory.</param>
[GenerateSerializer, Immutable, Alias("neuromesh.external-input")]
public sealed record class ExternalInput(
    [property: Id(0)] long Tick,
    [property: Id(1)] int Neuron,
    [property: Id(2)] double Weight,
    [property: Id(3)] SpikeType Channel = SpikeType.Excitatory);
