using System.Buffers.Binary;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Fabric;

namespace NeuroMesh.Tests.Agents;

/// <summary>
/// Adversarial modules: each is refused at load or trapped, counted and reported as a behaviour fault, while a WebAssembly
/// relay beside it in the same mesh delivers every spike.
/// </summary>
[Trait("Tier", "Unit")]
public sealed class WasmSandboxTests : IDisposable
{
    private const int Stimuli = 3;
    private static readonly byte[][] Readings = [[7], [8, 9]];

    private readonly WasmRuntime _runtime = new();
    private readonly Cortex _mesh = new(new CortexOptions { MaxNeurons = 8, RingCapacity = 64 });
    private readonly List<Delivery> _log = [];

    public void Dispose()
    {
        _mesh.Dispose();
        _runtime.Dispose();
    }

    [Theory]
    [InlineData(nameof(WasmModules.InfiniteLoop), WasmFaultKind.OutOfFuel)]
    [InlineData(nameof(WasmModules.MemoryBomb), WasmFaultKind.MemoryOutOfBounds)]
    [InlineData(nameof(WasmModules.DeepRecursion), WasmFaultKind.StackOverflow)]
    [InlineData(nameof(WasmModules.FireOutOfBounds), WasmFaultKind.AbiViolation)]
    [InlineData(nameof(WasmModules.PayloadOverLimit), WasmFaultKind.AbiViolation)]
    [InlineData(nameof(WasmModules.LogFlood), WasmFaultKind.OutOfFuel)]
    [InlineData(nameof(WasmModules.FindFlood), WasmFaultKind.OutOfFuel)]
    public void A_trapping_module_is_stopped_counted_and_reported_while_its_neighbour_delivers_every_spike(string module, WasmFaultKind kind)
    {
        var bad = _runtime.CreateBehaviour(_runtime.LoadText(Wat(module)));
        var badHandle = Run(bad);

        Assert.Equal(kind, bad.Trap?.Kind);
        var fault = Assert.Single(_mesh.RecentFaults);
        Assert.Equal((2u, nameof(INeuronBehaviour.OnSpike)), (fault.NeuronId, fault.Callback));
        Assert.Same(bad.Trap, fault.Exception);
        Assert.Equal(1, badHandle.Counters.Faults);

        // Every spike that reached the bad agent is accounted for: the one that trapped, then the ones dropped until a restart.
        var spikes = Stimuli * Readings.Length;
        Assert.Equal(new WasmBehaviourCounters(0, 1, spikes - 1, 0, 0, 0, 0), bad.Counters with { Calls = 0, LogLines = 0, LogLinesDropped = 0 });
        Assert.Equal(badHandle.Counters.Received, bad.Counters.Spikes);
        AssertNeighbourDeliveredEverything();
        Assert.Equal((1L, 1L), (_runtime.Counters.Traps, _runtime.Counters.InstancesLive));
    }

    [Fact]
    public void A_module_that_floods_the_log_gets_sixteen_lines_logged_per_call_and_the_rest_counted()
    {
        var flood = _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.LogFlood));
        Run(flood);
        var counters = flood.Counters;
        Assert.Equal(16, counters.LogLines);
        Assert.Equal(_runtime.Options.FuelPerCall / (5_000 + 5), counters.LogLines + counters.LogLinesDropped);
        Assert.Equal(WasmFaultKind.OutOfFuel, flood.Trap?.Kind);
    }

    [Fact]
    public void A_memory_bomb_gets_no_more_than_the_memory_cap()
    {
        Run(_runtime.CreateBehaviour(_runtime.LoadText(WasmModules.MemoryBomb)));
        var pages = Assert.Single(_log, d => d.Source == 2);
        Assert.Equal(_runtime.Options.MaxMemoryBytes / Wasmtime.Memory.PageSize, BinaryPrimitives.ReadInt32LittleEndian(pages.Payload));
    }

    [Fact]
    public void A_spike_whose_payload_is_over_the_abi_limit_is_dropped_and_counted_without_a_fault()
    {
        var relay = _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Relay));
        _mesh.AddNeuron(1, new Sensor(new byte[WasmAbi.MaxPayloadBytes + 1], [1]));
        _mesh.AddNeuron(2, relay);
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        _mesh.Subscribe(2, 9);
        _mesh.Stimulate(1);
        _mesh.RunUntilIdle();

        Assert.Equal((1L, 1L, 0L), (relay.Counters.SpikesHandled, relay.Counters.SpikesDroppedOversize, _mesh.Counters.Faults));
        Assert.Equal([1], Assert.Single(_log).Payload);
        Assert.Null(relay.Trap);
    }

    [Theory]
    [InlineData(nameof(WasmModules.HugeTable), "over the limits")]
    [InlineData(nameof(WasmModules.UndeclaredImport), "wasi_snapshot_preview1.fd_write")]
    public void A_module_over_a_limit_or_importing_outside_the_abi_is_refused_at_load_naming_why(string module, string reason)
    {
        var refused = Assert.Throws<WasmModuleRefusedException>(() => _runtime.LoadText(Wat(module)));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal((1L, 0L), (_runtime.Counters.Refused, _runtime.Counters.Compiled));
        AssertTheRuntimeStillServes();
    }

    [Fact]
    public void Malformed_bytes_malformed_text_and_an_oversized_module_are_refused_at_load()
    {
        Assert.Contains("not a valid WebAssembly module", Assert.Throws<WasmModuleRefusedException>(() => _runtime.Load([0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 0xFF, 0xFF])).Message, StringComparison.Ordinal);
        Assert.Contains("does not parse", Assert.Throws<WasmModuleRefusedException>(() => _runtime.LoadText("(module (func (export \"x\") (i32.bogus)))")).Message, StringComparison.Ordinal);
        Assert.Contains("over the", Assert.Throws<WasmModuleRefusedException>(() => _runtime.Load(new byte[_runtime.Options.MaxModuleBytes + 1])).Message, StringComparison.Ordinal);
        Assert.Equal(3, _runtime.Counters.Refused);
        AssertTheRuntimeStillServes();
    }

    [Theory]
    [InlineData("""(import "neuromesh" "spawn" (func (param i32)))""", "neuromesh.spawn")]
    [InlineData("""(import "neuromesh" "fire" (func (param i64) (result i32)))""", "neuromesh.fire as (i64) -> (i32)")]
    [InlineData("""(import "neuromesh" "memory" (memory 1))""", "neuromesh.memory (a memory)")]
    public void Imports_are_checked_by_name_kind_and_signature(string import, string named)
    {
        var wat = $$"""(module {{import}} (memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 1)))""";
        Assert.Contains(named, Assert.Throws<WasmModuleRefusedException>(() => _runtime.LoadText(wat)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""(memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 2))""", "abi_version is 2")]
    [InlineData("""(memory (export "memory") 1)""", "no 'abi_version'")]
    [InlineData("""(memory 1) (func (export "abi_version") (result i32) (i32.const 1))""", "no memory named 'memory'")]
    [InlineData("""(memory (export "memory") 17) (func (export "abi_version") (result i32) (i32.const 1))""", "over the 1048576-byte cap")]
    [InlineData("""(memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 1)) (func (export "on_spike") (param i32))""", "exports on_spike as (i32) -> ()")]
    [InlineData("""(memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 1)) (func $s (loop $l (br $l))) (start $s)""", "start function")]
    public void Exports_the_abi_version_and_the_start_function_are_checked_at_load(string body, string reason)
    {
        Assert.Contains(reason, Assert.Throws<WasmModuleRefusedException>(() => _runtime.LoadText($"(module {body})")).Message, StringComparison.Ordinal);
    }

    private static string Wat(string name) => (string)typeof(WasmModules).GetField(name)!.GetValue(null)!;

    /// <summary>A sensor (1) fires two readings per stimulus to <paramref name="bad"/> (2) and to a WebAssembly relay (3); both report to a recorder (9).</summary>
    private NeuronHandle Run(WasmBehaviour bad)
    {
        _mesh.AddNeuron(1, new Sensor(Readings));
        var handle = _mesh.AddNeuron(2, bad);
        _mesh.AddNeuron(3, _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Relay)));
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        _mesh.Subscribe(1, 3);
        _mesh.Subscribe(2, 9);
        _mesh.Subscribe(3, 9);
        for (var i = 0; i < Stimuli; i++)
        {
            _mesh.Stimulate(1);
            _mesh.RunUntilIdle();
        }

        return handle;
    }

    private void AssertNeighbourDeliveredEverything()
    {
        var relayed = _log.Where(d => d.Source == 3).ToList();
        Assert.Equal(Enumerable.Repeat(Readings, Stimuli).SelectMany(r => r).Select(Convert.ToHexString), relayed.Select(d => Convert.ToHexString(d.Payload)));
        Assert.Equal(Enumerable.Range(0, Stimuli * Readings.Length).Select(i => (uint)i), relayed.Select(d => d.Sequence));
        Assert.True(_mesh.Counters.Balances, _mesh.Counters.ToString());
        Assert.Equal(0, _mesh.Counters.InFlight);
    }

    private void AssertTheRuntimeStillServes()
    {
        _mesh.AddNeuron(3, _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Relay)));
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(3, 9);
        _mesh.Inject(WasmBehaviourTests.WithPayload(NeuroMesh.Spikes.Spike.Create(source: 1000, target: 3), [42]));
        _mesh.RunUntilIdle();
        Assert.Equal([42], Assert.Single(_log).Payload);
    }
}
