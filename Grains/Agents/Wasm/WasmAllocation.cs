namespace NeuroMesh.Agents.Wasm;

/// <summary>How a <see cref="WasmRuntime"/> allocates its instances' memories and tables.</summary>
public enum WasmAllocation
{
    /// <summary>Each instance maps its memory when it is created (address space reserved: <see cref="WasmOptions.MaxMemoryBytes"/> plus a small guard).</summary>
    OnDemand = 0,

    /// <summary>Wasmtime's pooling allocator: <see cref="WasmOptions.PoolSlots"/> slots reserved up front, reused without new mappings.</summary>
    Pooling = 1,
}
