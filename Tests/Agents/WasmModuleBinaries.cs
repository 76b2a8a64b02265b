namespace NeuroMesh.Tests.Agents;

/// <summary>The deployment tests' modules as binaries, built from the WAT of <see cref="WasmModules"/> (and variants of it).</summary>
internal static class WasmModuleBinaries
{
    private const string CounterBroadcast = "(drop (call $broadcast (i32.const 16) (i32.const 8) (i32.const 0)))";

    /// <summary>The counter (state_version 0): broadcasts its count after each spike.</summary>
    public static byte[] Counter { get; } = Wasmtime.Module.ConvertText(WasmModules.Counter);

    /// <summary>
    /// Version 2 of the counter: the same state (state_version 0), counted the same way, but it broadcasts the count plus
    /// <see cref="V2Mark"/>, so what a sink receives says which version handled the spike.
    /// </summary>
    public static byte[] CounterV2 { get; } = Wasmtime.Module.ConvertText(WasmModules.Counter.Replace(
        CounterBroadcast,
        "(i64.store (i32.const 24) (i64.add (global.get $n) (i64.const 1000000))) (drop (call $broadcast (i32.const 24) (i32.const 8) (i32.const 0)))",
        StringComparison.Ordinal));

    /// <summary>The counter with a new state layout (<c>state_version</c> 2): a swap onto it resets the state.</summary>
    public static byte[] CounterStateV2 { get; } = Wasmtime.Module.ConvertText(
        WasmModules.Counter.Insert(WasmModules.Counter.LastIndexOf(')'), """ (func (export "state_version") (result i32) (i32.const 2))"""));

    /// <summary>The relay, claiming ABI version 2.</summary>
    public static byte[] AbiVersion2 { get; } = Wasmtime.Module.ConvertText(WasmModules.Relay.Replace(
        """(func (export "abi_version") (result i32) (i32.const 1))""", """(func (export "abi_version") (result i32) (i32.const 2))""", StringComparison.Ordinal));

    /// <summary>A module that imports WASI's fd_write.</summary>
    public static byte[] UndeclaredImport { get; } = Wasmtime.Module.ConvertText(WasmModules.UndeclaredImport);

    /// <summary>The magic number and version, then garbage.</summary>
    public static byte[] Malformed { get; } = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0xFF, 0xFF];

    public const long V2Mark = 1_000_000;

    static WasmModuleBinaries()
    {
        if (!WasmModules.Counter.Contains(CounterBroadcast, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("WasmModules.Counter no longer broadcasts as CounterV2 expects; update the variant.");
        }
    }
}
