using NeuroMesh.Agents.Wasm.Events;
using NeuroMesh.Persistence;
using Orleans.Providers;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// One module of the cluster's module store: its binary, content-addressed by the grain key (the SHA-256) and kept in the
/// delta log, so a silo that starts or joins later loads the same bytes. A module is compiled and checked by the storing
/// silo's <see cref="WasmRuntime"/> before anything is logged, so a refused module leaves no trace.
/// </summary>
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class WasmModuleGrain(WasmRuntime runtime) : DeltaLogGrain<WasmModuleState, WasmModuleEvent>, IWasmModuleGrain
{
    private string Hash => WasmModuleName.Normalize(this.GetPrimaryKeyString(), "key");

    /// <inheritdoc />
    public async Task<WasmModuleInfo> Store(byte[] module)
    {
        var hash = Hash;
        ArgumentNullException.ThrowIfNull(module);
        if (module.Length > runtime.Options.MaxModuleBytes)
        {
            throw new ArgumentException($"Module refused: {module.Length} bytes, over the {runtime.Options.MaxModuleBytes}-byte limit (NeuroMesh:Wasm:MaxModuleBytes).", nameof(module));
        }

        var actual = WasmRuntime.HashOf(module);
        if (!string.Equals(actual, hash, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The module's bytes hash to {actual}, not to {hash}: a module is stored under the SHA-256 of its binary.", nameof(module));
        }

        WasmModule loaded;
        try
        {
            loaded = runtime.Load(module);
        }
        catch (WasmModuleRefusedException e)
        {
            throw new ArgumentException(e.Message, nameof(module));
        }

        if (State.Bytes is null)
        {
            RaiseEvent(new WasmModuleStored(module));
            await ConfirmEvents();
        }

        return Describe(loaded);
    }

    /// <inheritdoc />
    public Task<WasmModuleInfo?> Describe()
    {
        _ = Hash;
        if (State.Bytes is not { } bytes)
        {
            return Task.FromResult<WasmModuleInfo?>(null);
        }

        // Stored bytes were accepted once; a silo with tighter limits may refuse them now, and says so.
        try
        {
            return Task.FromResult<WasmModuleInfo?>(Describe(runtime.Load(bytes)));
        }
        catch (WasmModuleRefusedException e)
        {
            throw new ArgumentException($"Module {Hash} is stored, but this silo refuses it: {e.Message}", "hash");
        }
    }

    /// <inheritdoc />
    public Task<byte[]> Read()
        => State.Bytes is { } bytes
            ? Task.FromResult(bytes)
            : throw new KeyNotFoundException($"No WebAssembly module with SHA-256 {Hash} was deployed; upload it first.");

    /// <inheritdoc />
    protected override void TransitionState(WasmModuleState state, WasmModuleEvent @event)
    {
        switch (@event)
        {
            case WasmModuleStored stored:
                state.Bytes = stored.Bytes;
                break;
            default:
                throw new InvalidOperationException($"Unknown module event {@event.GetType().Name}.");
        }
    }

    private static WasmModuleInfo Describe(WasmModule module) => new()
    {
        Hash = module.Hash,
        SizeBytes = module.SizeBytes,
        StateVersion = module.StateVersion,
        Exports = [.. module.OptionalExports],
    };
}
