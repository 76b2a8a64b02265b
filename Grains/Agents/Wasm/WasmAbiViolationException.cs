namespace NeuroMesh.Agents.Wasm;

/// <summary>Thrown inside an import when a module breaks the ABI; Wasmtime turns it into a trap of the calling module.</summary>
internal sealed class WasmAbiViolationException(string message) : Exception(message);
