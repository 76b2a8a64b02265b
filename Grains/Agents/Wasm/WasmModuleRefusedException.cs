namespace NeuroMesh.Agents.Wasm;

/// <summary>A module was refused at load: malformed, too large, against the ABI (an undeclared import, a missing export), or over a limit.</summary>
public sealed class WasmModuleRefusedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public WasmModuleRefusedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
