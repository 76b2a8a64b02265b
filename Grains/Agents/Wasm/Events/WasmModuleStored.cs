namespace NeuroMesh.Agents.Wasm.Events;

/// <summary>The module's binary was checked against the ABI and stored (once: the key is its SHA-256).</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Agents.Wasm.Events.WasmModuleStored")]
public sealed record WasmModuleStored([property: Id(0)] byte[] Bytes) : WasmModuleEvent;
