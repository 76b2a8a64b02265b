namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// A silo's view of the cluster's module store: it loads a deployed module by its hash into the silo's
/// <see cref="WasmRuntime"/>, fetching the binary from its <see cref="IWasmModuleGrain"/> (the delta log) the first time, and
/// checking that the bytes still hash to the name. Thread-safe.
/// </summary>
public sealed class WasmModuleCatalog(WasmRuntime runtime, IGrainFactory grains)
{
    private long _fetched;

    /// <summary>The silo's WebAssembly host.</summary>
    public WasmRuntime Runtime { get; } = runtime;

    /// <summary>Modules fetched from the store (not found in the runtime's cache).</summary>
    public long Fetched => Interlocked.Read(ref _fetched);

    /// <summary>The module with SHA-256 <paramref name="hash"/>, compiled on this silo.</summary>
    /// <exception cref="ArgumentException">No module with that hash was deployed, or this silo refuses it (the message says why).</exception>
    /// <exception cref="InvalidOperationException">The stored bytes no longer hash to their name (the log is damaged).</exception>
    public async Task<WasmModule> LoadAsync(string hash)
    {
        hash = WasmModuleName.Normalize(hash);
        if (Runtime.TryGet(hash, out var module))
        {
            return module;
        }

        byte[] bytes;
        try
        {
            bytes = await grains.GetGrain<IWasmModuleGrain>(hash).Read();
        }
        catch (KeyNotFoundException)
        {
            throw new ArgumentException($"No WebAssembly module with SHA-256 {hash} was deployed; upload it first (the client's DeployWasmModule, PUT /api/wasm/modules/{{hash}} or neuromesh agents deploy --wasm).", nameof(hash));
        }

        Interlocked.Increment(ref _fetched);
        if (!string.Equals(WasmRuntime.HashOf(bytes), hash, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The module stored as {hash} no longer hashes to that name; its log is damaged.");
        }

        try
        {
            return Runtime.Load(bytes);
        }
        catch (WasmModuleRefusedException e)
        {
            throw new ArgumentException($"Module {hash} is deployed, but this silo refuses it: {e.Message}", nameof(hash));
        }
    }
}
