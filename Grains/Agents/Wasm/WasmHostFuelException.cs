namespace NeuroMesh.Agents.Wasm;

/// <summary>Thrown inside an import when a call's imports used up its host budget; the call traps as <see cref="WasmFaultKind.OutOfFuel"/>.</summary>
internal sealed class WasmHostFuelException(string message) : Exception(message);
