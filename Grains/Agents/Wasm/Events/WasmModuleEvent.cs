namespace NeuroMesh.Agents.Wasm.Events;

/// <summary>An event of a stored WebAssembly module's delta log.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Agents.Wasm.Events.WasmModuleEvent")]
public abstract record WasmModuleEvent;
