namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// A module was refused at load: malformed, too large, against the ABI (an undeclared import, a missing export), or over a
/// limit. Serializable, because it reaches callers of <c>INeuronGrain.BindBehaviour</c>; for the same reason the host
/// never attaches Wasmtime's own exceptions (no codec carries them across a grain call) but copies their messages.
/// </summary>
[GenerateSerializer, Alias("neuromesh.wasm-module-refused")]
public sealed class WasmModuleRefusedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public WasmModuleRefusedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public WasmModuleRefusedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
