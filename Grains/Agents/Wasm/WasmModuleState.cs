namespace NeuroMesh.Agents.Wasm;

/// <summary>The logged state of a stored module: its binary, or null before it was stored.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Agents.Wasm.WasmModuleState")]
public sealed class WasmModuleState
{
    /// <summary>The module's binary.</summary>
    [Id(0)] public byte[]? Bytes { get; set; }
}
