namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// A WebAssembly behaviour trapped. The mesh reports it as a <see cref="BehaviourFault"/> like any behaviour exception,
/// and the neuron's supervisor acts on it; the trapped instance is discarded and handles nothing more.
/// </summary>
public sealed class WasmTrapException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WasmTrapException(WasmFaultKind kind, string export, string moduleHash, string message, Exception? inner = null)
        : base($"WebAssembly module {moduleHash[..12]} trapped in {export} ({kind}): {message}", inner)
    {
        Kind = kind;
        Export = export;
        ModuleHash = moduleHash;
    }

    /// <summary>Why it trapped.</summary>
    public WasmFaultKind Kind { get; }

    /// <summary>The export that was running.</summary>
    public string Export { get; }

    /// <summary>The SHA-256 of the module (hex).</summary>
    public string ModuleHash { get; }
}
