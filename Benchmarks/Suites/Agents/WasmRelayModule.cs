namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>The WebAssembly relay the agents suite measures: the same behaviour as the C# <c>RelayBehaviour</c>, in WAT.</summary>
internal static class WasmRelayModule
{
    public const string Wat = """
        (module
          (import "neuromesh" "broadcast" (func $broadcast (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "abi_version") (result i32) (i32.const 1))
          (func (export "payload_buffer") (result i32) (i32.const 1024))
          (func (export "on_spike") (param $source i32) (param $target i32) (param $type i32) (param $seq i32) (param $len i32)
            (drop (call $broadcast (i32.const 1024) (local.get $len) (local.get $type))))
          (func (export "on_fire") (drop (call $broadcast (i32.const 0) (i32.const 0) (i32.const 0)))))
        """;
}
