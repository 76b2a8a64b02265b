namespace NeuroMesh.Agents.Wasm;

/// <summary>A <see cref="WasmBehaviour"/> whose module exports <c>on_tick</c>: the mesh calls it every tick.</summary>
public sealed class WasmTickingBehaviour : WasmBehaviour, ITickingBehaviour
{
    internal WasmTickingBehaviour(WasmRuntime runtime, WasmModule module, IReadOnlyCollection<string> capabilities, AgentDirectory? directory)
        : base(runtime, module, capabilities, directory)
    {
    }

    /// <inheritdoc />
    public void OnTick(NeuronHandle neuron) => Call(neuron, TickExport, WasmAbi.OnTickExport);
}
