namespace NeuroMesh.Tests.Agents;

/// <summary>The WebAssembly modules the WASM tests run, as WebAssembly text (compiled by Wasmtime in the tests).</summary>
internal static class WasmModules
{
    private const string Header = """
        (func (export "abi_version") (result i32) (i32.const 1))
        """;

    /// <summary>Passes every spike on (payload and type) to its subscribers; broadcasts an empty spike when stimulated.</summary>
    public const string Relay = $$"""
        (module
          (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          {{Header}}
          (func (export "payload_buffer") (result i32) (i32.const 1024))
          (func (export "on_spike") (param $source i32) (param $target i32) (param $type i32) (param $seq i32) (param $len i32)
            (drop (call $broadcast (i32.const 1024) (local.get $len) (local.get $type))))
          (func (export "on_fire") (drop (call $broadcast (i32.const 0) (i32.const 0) (i32.const 0)))))
        """;

    /// <summary>
    /// Counts the spikes it receives in its state (key "count", an i64 read back in init) and broadcasts the new count
    /// (8 bytes) after each; traps when the state write is refused.
    /// </summary>
    public const string Counter = $$"""
        (module
          (import "neuromesh" "state_get" (func $get (param i32 i32 i32 i32) (result i32)))
          (import "neuromesh" "state_put" (func $put (param i32 i32 i32 i32) (result i32)))
          (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "count")
          (global $n (mut i64) (i64.const 0))
          {{Header}}
          (func (export "init")
            (if (i32.eq (call $get (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 8)) (i32.const 8))
              (then (global.set $n (i64.load (i32.const 16))))))
          (func (export "on_spike") (param i32 i32 i32 i32 i32)
            (global.set $n (i64.add (global.get $n) (i64.const 1)))
            (i64.store (i32.const 16) (global.get $n))
            (if (call $put (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 8)) (then unreachable))
            (drop (call $broadcast (i32.const 16) (i32.const 8) (i32.const 0)))))
        """;

    /// <summary>The <see cref="Counter"/>, plus an <c>on_fire</c> that traps (<c>unreachable</c>): a stimulus crashes it.</summary>
    public static readonly string CounterThatTrapsOnFire = Counter.Insert(Counter.LastIndexOf(')'), """ (func (export "on_fire") unreachable)""");

    /// <summary>Judges each spike's first byte: 1 earns a reward of +1, anything else -0.5 (a modulatory spike with an f32 payload).</summary>
    public const string Learner = $$"""
        (module
          (import "neuromesh" "reward" (func $reward (param f32) (result i32)))
          (import "neuromesh" "log" (func $log (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 64) "judged")
          {{Header}}
          (func (export "payload_buffer") (result i32) (i32.const 1024))
          (func (export "on_spike") (param i32 i32 i32 i32 i32)
            (drop (call $reward (select (f32.const 1) (f32.const -0.5) (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 1)))))
            (call $log (i32.const 64) (i32.const 6))))
        """;

    /// <summary>When stimulated, finds the agents that can "act" and broadcasts how many (i32) and the lowest id (u32).</summary>
    public const string Finder = $$"""
        (module
          (import "neuromesh" "find" (func $find (param i32 i32 i32 i32) (result i32)))
          (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "act")
          {{Header}}
          (func (export "on_fire")
            (i32.store (i32.const 256) (i32.const 0))
            (i32.store (i32.const 252) (call $find (i32.const 0) (i32.const 3) (i32.const 256) (i32.const 1)))
            (drop (call $broadcast (i32.const 252) (i32.const 8) (i32.const 0)))))
        """;

    /// <summary>Loops for ever on every spike.</summary>
    public const string InfiniteLoop = $$"""
        (module
          (memory (export "memory") 1)
          {{Header}}
          (func (export "on_spike") (param i32 i32 i32 i32 i32) (loop $forever (br $forever))))
        """;

    /// <summary>Logs a line for ever on every spike: each import call burns little fuel of its own.</summary>
    public const string LogFlood = $$"""
        (module
          (import "neuromesh" "log" (func $log (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "flood")
          {{Header}}
          (func (export "on_spike") (param i32 i32 i32 i32 i32) (loop $forever (call $log (i32.const 0) (i32.const 5)) (br $forever))))
        """;

    /// <summary>Calls find for ever on every spike.</summary>
    public const string FindFlood = $$"""
        (module
          (import "neuromesh" "find" (func $find (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "act")
          {{Header}}
          (func (export "on_spike") (param i32 i32 i32 i32 i32)
            (loop $forever (drop (call $find (i32.const 0) (i32.const 3) (i32.const 64) (i32.const 4))) (br $forever))))
        """;

    /// <summary>Grows its memory until refused, broadcasts the pages it got (4 bytes), then stores past its end.</summary>
    public const string MemoryBomb = $$"""
        (module
          (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          {{Header}}
          (func (export "on_spike") (param i32 i32 i32 i32 i32)
            (loop $grow (br_if $grow (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
            (i32.store (i32.const 0) (memory.size))
            (drop (call $broadcast (i32.const 0) (i32.const 4) (i32.const 0)))
            (i32.store (i32.mul (memory.size) (i32.const 65536)) (i32.const 1))))
        """;

    /// <summary>Recurses without end on every spike.</summary>
    public const string DeepRecursion = $$"""
        (module
          (memory (export "memory") 1)
          {{Header}}
          (func $down (param i32) (result i32) (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
          (func (export "on_spike") (param i32 i32 i32 i32 i32) (drop (call $down (i32.const 0)))))
        """;

    /// <summary>Declares a table of a million elements, a hundred times the default cap.</summary>
    public const string HugeTable = $$"""
        (module
          (memory (export "memory") 1)
          (table 1000000 funcref)
          {{Header}})
        """;

    /// <summary>Imports a WASI function, which the ABI does not provide.</summary>
    public const string UndeclaredImport = $$"""
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          {{Header}})
        """;

    /// <summary>Fires a payload whose pointer is past the end of its one-page memory.</summary>
    public const string FireOutOfBounds = $$"""
        (module
          (import "neuromesh" "fire" (func $fire (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          {{Header}}
          (func (export "on_spike") (param i32 i32 i32 i32 i32) (drop (call $fire (i32.const 0xFFFFFF00) (i32.const 16)))))
        """;

    /// <summary>Fires a 5000-byte payload (inside its memory, over the ABI's 4096-byte limit).</summary>
    public const string PayloadOverLimit = $$"""
        (module
          (import "neuromesh" "fire" (func $fire (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          {{Header}}
          (func (export "on_spike") (param i32 i32 i32 i32 i32) (drop (call $fire (i32.const 0) (i32.const 5000)))))
        """;

    /// <summary>Broadcasts one spike per tick, counting ticks in its memory.</summary>
    public const string Ticker = $$"""
        (module
          (import "neuromesh" "fire" (func $fire (param i32 i32) (result i32)))
          (import "neuromesh" "now" (func $now (result i64)))
          (memory (export "memory") 1)
          {{Header}}
          (func (export "on_tick")
            (i64.store (i32.const 0) (call $now))
            (drop (call $fire (i32.const 0) (i32.const 8)))))
        """;
}
