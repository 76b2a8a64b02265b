namespace NeuroMesh.Agents;

/// <summary>
/// One WebAssembly module of the cluster's module store, keyed by the SHA-256 of its binary (lower-case hex) and kept in
/// the delta log, so any silo, also one that joins or restarts later, can load it.
/// </summary>
public interface IWasmModuleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the module's binary, once it was compiled and checked against the ABI by the silo's WebAssembly host; storing
    /// the same bytes again changes nothing. Nothing is stored when the module is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a SHA-256, the bytes do not hash to it, or the module is refused (malformed, over the size limit, an import outside the ABI, another ABI version): the message says which.</exception>
    Task<WasmModuleInfo> Store(byte[] module);

    /// <summary>The stored module's description, or null when none with this hash was stored.</summary>
    Task<WasmModuleInfo?> Describe();

    /// <summary>The stored binary.</summary>
    /// <exception cref="KeyNotFoundException">No module with this hash was stored.</exception>
    Task<byte[]> Read();
}
