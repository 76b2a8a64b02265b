using Wasmtime;

namespace NeuroMesh.Agents.Wasm;

/// <summary>
/// The WebAssembly behaviour ABI, version <see cref="Version"/>: the imports a module may take from
/// <see cref="ImportModule"/> and the exports the host calls. docs/wasm.md describes each one.
/// </summary>
public static class WasmAbi
{
    /// <summary>The ABI version this host speaks; a module's <c>abi_version</c> export must return it.</summary>
    public const int Version = 1;

    /// <summary>The one import namespace a module may use.</summary>
    public const string ImportModule = "neuromesh";

    /// <summary>The most payload bytes a spike carries into or out of a module (the payload buffer's size).</summary>
    public const int MaxPayloadBytes = 4096;

    /// <summary>The longest state key, in bytes.</summary>
    public const int MaxStateKeyBytes = 64;

    /// <summary>The longest line <c>log</c> keeps, in bytes (longer lines are cut).</summary>
    public const int MaxLogLineBytes = 512;

    /// <summary>The exported linear memory every module must have.</summary>
    public const string MemoryExport = "memory";

    /// <summary>Required: <c>() -> i32</c>, returns <see cref="Version"/>.</summary>
    public const string AbiVersionExport = "abi_version";

    /// <summary>Optional: <c>() -> i32</c>, the address of a buffer of <see cref="MaxPayloadBytes"/> bytes for incoming payloads.</summary>
    public const string PayloadBufferExport = "payload_buffer";

    /// <summary>Optional: <c>() -> ()</c>, called once before the first other call (after the state was restored).</summary>
    public const string InitExport = "init";

    /// <summary>Optional: <c>(source, target, type, sequence, payload_len: i32) -> ()</c>, one call per spike.</summary>
    public const string OnSpikeExport = "on_spike";

    /// <summary>Optional: <c>() -> ()</c>, the neuron was stimulated.</summary>
    public const string OnFireExport = "on_fire";

    /// <summary>Optional: <c>() -> ()</c>, once per tick; a module without it costs nothing per tick.</summary>
    public const string OnTickExport = "on_tick";

    /// <summary>
    /// Optional: <c>() -> i32</c>, the version of the module's state layout (0 without it). A hot swap keeps the state
    /// written with <c>state_put</c> when the old and new modules return the same version, and resets it otherwise.
    /// </summary>
    public const string StateVersionExport = "state_version";

    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32 = [ValueKind.Int32];

    /// <summary>The imports of ABI version 1 by name, with their parameter and result types.</summary>
    public static IReadOnlyDictionary<string, (ValueKind[] Parameters, ValueKind[] Results)> Imports { get; } =
        new Dictionary<string, (ValueKind[], ValueKind[])>(StringComparer.Ordinal)
        {
            ["fire"] = (Kinds(2), I32),
            ["broadcast"] = (Kinds(3), I32),
            ["fire_to"] = (Kinds(4), I32),
            ["reward"] = ([ValueKind.Float32], I32),
            ["find"] = (Kinds(4), I32),
            ["state_get"] = (Kinds(4), I32),
            ["state_put"] = (Kinds(4), I32),
            ["now"] = (None, [ValueKind.Int64]),
            ["log"] = (Kinds(2), None),
        };

    /// <summary>The function exports the host calls, with their parameter and result types.</summary>
    internal static IReadOnlyDictionary<string, (ValueKind[] Parameters, ValueKind[] Results)> Exports { get; } =
        new Dictionary<string, (ValueKind[], ValueKind[])>(StringComparer.Ordinal)
        {
            [AbiVersionExport] = (None, I32),
            [PayloadBufferExport] = (None, I32),
            [InitExport] = (None, None),
            [OnSpikeExport] = (Kinds(5), None),
            [OnFireExport] = (None, None),
            [OnTickExport] = (None, None),
            [StateVersionExport] = (None, I32),
        };

    /// <summary>Names what is wrong with a module's imports and exports for this ABI, or null when nothing is.</summary>
    internal static string? Problem(Module module, long maxMemoryBytes)
    {
        foreach (var import in module.Imports)
        {
            var name = $"{import.ModuleName}.{import.Name}";
            if (import is not FunctionImport function || import.ModuleName != ImportModule || !Imports.TryGetValue(import.Name, out var expected))
            {
                return $"it imports {name} ({KindOf(import)}), which the NeuroMesh ABI v{Version} does not provide (it provides only these functions of '{ImportModule}': {string.Join(", ", Imports.Keys)})";
            }

            if (!function.Parameters.SequenceEqual(expected.Parameters) || !function.Results.SequenceEqual(expected.Results))
            {
                return $"it imports {name} as {Signature(function.Parameters, function.Results)}, but the ABI defines it as {Signature(expected.Parameters, expected.Results)}";
            }
        }

        var memory = module.Exports.OfType<MemoryExport>().FirstOrDefault(m => m.Name == MemoryExport);
        if (memory is null)
        {
            return $"it exports no memory named '{MemoryExport}'";
        }

        if (memory.Is64Bit)
        {
            return $"its memory is 64-bit; the ABI uses a 32-bit memory";
        }

        if (memory.Minimum * Wasmtime.Memory.PageSize > maxMemoryBytes)
        {
            return $"its memory starts at {memory.Minimum} pages ({memory.Minimum * Wasmtime.Memory.PageSize} bytes), over the {maxMemoryBytes}-byte cap";
        }

        foreach (var export in module.Exports.OfType<FunctionExport>())
        {
            if (Exports.TryGetValue(export.Name, out var expected)
                && (!export.Parameters.SequenceEqual(expected.Parameters) || !export.Results.SequenceEqual(expected.Results)))
            {
                return $"it exports {export.Name} as {Signature(export.Parameters, export.Results)}, but the ABI calls it as {Signature(expected.Parameters, expected.Results)}";
            }
        }

        return module.Exports.OfType<FunctionExport>().Any(e => e.Name == AbiVersionExport)
            ? null
            : $"it exports no '{AbiVersionExport}' function (() -> i32, returning {Version})";
    }

    private static ValueKind[] Kinds(int i32Count) => [.. Enumerable.Repeat(ValueKind.Int32, i32Count)];

    private static string KindOf(Import import) => import switch
    {
        FunctionImport => "a function",
        MemoryImport => "a memory",
        TableImport => "a table",
        GlobalImport => "a global",
        _ => "an import",
    };

    private static string Signature(IEnumerable<ValueKind> parameters, IEnumerable<ValueKind> results)
        => $"({string.Join(", ", parameters.Select(Short))}) -> ({string.Join(", ", results.Select(Short))})";

    private static string Short(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => "i32",
        ValueKind.Int64 => "i64",
        ValueKind.Float32 => "f32",
        ValueKind.Float64 => "f64",
        _ => kind.ToString(),
    };
}
