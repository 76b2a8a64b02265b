namespace NeuroMesh.Neurons.Events;

/// <summary>
/// The neuron's WebAssembly behaviour was hot-swapped for the deployed module <paramref name="Behaviour"/> (its
/// <c>wasm:</c> name); its state was kept when <paramref name="StateKept"/>, and reset otherwise.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Neurons.Events.WasmModuleSwapped")]
public sealed record WasmModuleSwapped([property: Id(0)] string Behaviour, [property: Id(1)] bool StateKept) : NeuronEvent;
