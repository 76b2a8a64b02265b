using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>A module compiled once by a <see cref="WasmRuntime"/> and checked against the ABI; instances of it are behaviours.</summary>
public sealed class WasmModule
{
    internal WasmModule(WasmRuntime owner, Module module, string hash, int sizeBytes)
    {
        Owner = owner;
        Compiled = module;
        Hash = hash;
        SizeBytes = sizeBytes;
        var exports = module.Exports.OfType<FunctionExport>().Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        HasInit = exports.Contains(WasmAbi.InitExport);
        HasOnSpike = exports.Contains(WasmAbi.OnSpikeExport);
        HasOnFire = exports.Contains(WasmAbi.OnFireExport);
        HasOnTick = exports.Contains(WasmAbi.OnTickExport);
        HasPayloadBuffer = exports.Contains(WasmAbi.PayloadBufferExport);
        HasStateVersion = exports.Contains(WasmAbi.StateVersionExport);
        OptionalExports = [.. WasmAbi.Exports.Keys.Where(e => e != WasmAbi.AbiVersionExport && exports.Contains(e)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The SHA-256 of the module's binary, lower-case hex: its identity in the runtime's cache.</summary>
    public string Hash { get; }

    /// <summary>The size of the module's binary.</summary>
    public int SizeBytes { get; }

    /// <summary>True when it exports <c>init</c>.</summary>
    public bool HasInit { get; }

    /// <summary>True when it exports <c>on_spike</c>.</summary>
    public bool HasOnSpike { get; }

    /// <summary>True when it exports <c>on_fire</c>.</summary>
    public bool HasOnFire { get; }

    /// <summary>True when it exports <c>on_tick</c> (its behaviours are then called every tick).</summary>
    public bool HasOnTick { get; }

    /// <summary>True when it exports <c>payload_buffer</c> (incoming payload bytes are copied there).</summary>
    public bool HasPayloadBuffer { get; }

    /// <summary>True when it exports <c>state_version</c>.</summary>
    public bool HasStateVersion { get; }

    /// <summary>What its <c>state_version</c> returned on the trial instance (0 without the export): a hot swap keeps state only between equal versions.</summary>
    public int StateVersion { get; internal set; }

    /// <summary>The optional ABI exports it has, in ordinal order.</summary>
    public IReadOnlyList<string> OptionalExports { get; }

    internal Module Compiled { get; }

    /// <summary>The runtime (engine) that compiled it; only that runtime can instantiate it.</summary>
    internal WasmRuntime Owner { get; }

    /// <inheritdoc />
    public override string ToString() => $"wasm:{Hash[..12]} ({SizeBytes} bytes)";
}
