using System.Buffers.Binary;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Agents;

/// <summary>WebAssembly behaviours in a mesh: the ABI's calls, state, and the host's accounting.</summary>
[Trait("Tier", "Unit")]
public sealed class WasmBehaviourTests : IDisposable
{
    private readonly WasmRuntime _runtime = new();
    private readonly Cortex _mesh = new(new CortexOptions { MaxNeurons = 8, RingCapacity = 64 });
    private readonly List<Delivery> _log = [];

    public void Dispose()
    {
        _mesh.Dispose();
        _runtime.Dispose();
    }

    [Fact]
    public void A_wasm_relay_passes_every_spike_on_with_its_payload_and_type_like_the_csharp_relay()
    {
        byte[][] readings = [[1], [2, 3], [.. Enumerable.Range(0, 100).Select(i => (byte)i)]];
        _mesh.AddNeuron(1, new Sensor(readings));
        var relay = _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Relay));
        _mesh.AddNeuron(2, relay);
        _mesh.AddNeuron(3, new RelayBehaviour());
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        _mesh.Subscribe(1, 3);
        _mesh.Subscribe(2, 9);
        _mesh.Subscribe(3, 9);

        _mesh.Stimulate(1);
        _mesh.Stimulate(2);
        _mesh.RunUntilIdle();

        var fromWasm = _log.Where(d => d.Source == 2).ToList();
        var fromCSharp = _log.Where(d => d.Source == 3).ToList();
        Assert.Equal(4, fromWasm.Count);
        Assert.Equal(
            fromCSharp.Select(d => (Convert.ToHexString(d.Payload), d.Type, d.Arena)),
            fromWasm.Where(d => d.Payload.Length > 0).Select(d => (Convert.ToHexString(d.Payload), d.Type, d.Arena)));
        Assert.Equal(new WasmBehaviourCounters(3, 0, 0, 0, 4, 0, 0), relay.Counters);
        Assert.True(_mesh.Counters.Balances, _mesh.Counters.ToString());
        Assert.Equal(0, _mesh.Counters.Faults);
    }

    [Fact]
    public void A_counter_keeps_its_state_in_logged_deltas_and_a_fresh_instance_restored_from_them_continues()
    {
        var module = _runtime.LoadText(WasmModules.Counter);
        var counter = _runtime.CreateBehaviour(module);
        var handle = _mesh.AddNeuron(2, counter);
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(2, 9);
        for (var i = 0; i < 70; i++)
        {
            _mesh.Inject(Spike.Create(source: 1000, target: 2));
            _mesh.RunUntilIdle();
        }

        Assert.Equal(Enumerable.Range(1, 70).Select(i => (long)i), _log.Select(d => BinaryPrimitives.ReadInt64LittleEndian(d.Payload)));

        // 63 single puts, then the whole state (replacing them), then 6 more puts: what a neuron grain's log would keep.
        var recorded = handle.TakeRecordedState();
        Assert.Equal(70, recorded.Count);
        Assert.True(recorded[63].ReplacesEarlier);
        var kept = recorded.Skip(63).Select(r => r.Delta).ToList();

        _mesh.RemoveNeuron(2);
        var restored = _runtime.CreateBehaviour(module);
        foreach (var delta in kept)
        {
            restored.Restore(delta);
        }

        _mesh.AddNeuron(2, restored);
        _mesh.Subscribe(2, 9);
        _mesh.Inject(Spike.Create(source: 1000, target: 2));
        _mesh.RunUntilIdle();
        Assert.Equal(71, BinaryPrimitives.ReadInt64LittleEndian(_log[^1].Payload));
    }

    [Fact]
    public void A_learner_sends_its_reward_as_a_modulatory_spike_and_its_log_lines_are_kept()
    {
        var learner = _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Learner));
        _mesh.AddNeuron(2, learner);
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(2, 9);
        _mesh.Inject(WithPayload(Spike.Create(source: 1000, target: 2), [1]));
        _mesh.Inject(WithPayload(Spike.Create(source: 1000, target: 2), [0]));
        _mesh.RunUntilIdle();

        Assert.Equal([1f, -0.5f], _log.Select(d => BinaryPrimitives.ReadSingleLittleEndian(d.Payload)));
        Assert.All(_log, d => Assert.Equal(SpikeType.Modulatory, d.Type));
        Assert.Equal(["judged", "judged"], learner.RecentLogs);
    }

    [Fact]
    public void A_module_with_on_tick_is_called_every_tick_and_reads_the_tick_from_now()
    {
        var ticker = _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Ticker));
        Assert.IsAssignableFrom<ITickingBehaviour>(ticker);
        Assert.IsNotAssignableFrom<ITickingBehaviour>(_runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Relay)));
        _mesh.AddNeuron(2, ticker);
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(2, 9);
        for (var i = 0; i < 4; i++)
        {
            _mesh.Step();
        }

        Assert.Equal([0L, 1, 2], _log.Select(d => BinaryPrimitives.ReadInt64LittleEndian(d.Payload)));
    }

    [Fact]
    public void Modules_are_compiled_once_per_runtime_and_found_again_by_the_hash_of_their_bytes()
    {
        var first = _runtime.LoadText(WasmModules.Relay);
        var second = _runtime.LoadText(WasmModules.Relay);
        Assert.Same(first, second);
        Assert.True(_runtime.IsCached(first.Hash));
        Assert.Equal(WasmRuntime.HashOf(Wasmtime.Module.ConvertText(WasmModules.Relay)), first.Hash);
        Assert.Equal((1L, 1L), (_runtime.Counters.Compiled, _runtime.Counters.CacheHits));
        Assert.NotEqual(first.Hash, _runtime.LoadText(WasmModules.Counter).Hash);
        Assert.Equal(2, _runtime.Counters.Compiled);
    }

    [Fact]
    public void A_state_delta_this_host_did_not_write_is_refused_on_restore()
    {
        var counter = _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Counter));
        Assert.Throws<InvalidOperationException>(() => counter.Restore([9, 1, 2]));
        Assert.Throws<InvalidOperationException>(() => counter.Restore([1, 5, 0, (byte)'c']));
    }

    [Fact]
    public void Find_returns_the_ids_of_the_agents_with_a_capability_from_the_directory_it_was_given()
    {
        _mesh.AddAgent(new AgentCard("a7", 7, ["act"], []), new Recorder(_log));
        _mesh.AddAgent(new AgentCard("a5", 5, ["act"], []), new Recorder(_log));
        _mesh.AddAgent(new AgentCard("s6", 6, ["sense"], []), new Recorder(_log));
        _mesh.AddNeuron(2, _runtime.CreateBehaviour(_runtime.LoadText(WasmModules.Finder), directory: _mesh.Directory));
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(2, 9);
        _mesh.Stimulate(2);
        _mesh.RunUntilIdle();

        // Two agents can act; out_max 1 wrote only the lowest id.
        var found = Assert.Single(_log).Payload;
        Assert.Equal((2, 5u), (BinaryPrimitives.ReadInt32LittleEndian(found), BinaryPrimitives.ReadUInt32LittleEndian(found.AsSpan(4))));
    }

    [Fact]
    public void A_state_write_over_the_budget_returns_minus_one_and_is_counted()
    {
        using var runtime = new WasmRuntime(new WasmOptions { MaxStateBytes = 8 });
        var counter = runtime.CreateBehaviour(runtime.LoadText(WasmModules.Counter));
        _mesh.AddNeuron(2, counter);
        _mesh.Inject(Spike.Create(source: 1000, target: 2));
        _mesh.RunUntilIdle();

        // The counter traps on a refused write ("count" plus 8 bytes is 13 bytes, over 8).
        Assert.Equal((1L, WasmFaultKind.Unreachable), (counter.Counters.StateRefused, counter.Trap?.Kind));
        Assert.Equal(0, counter.StateBytes);
    }

    [Fact]
    public void The_pooling_allocator_refuses_an_instance_past_its_slots_and_reuses_a_slot_given_back()
    {
        using var runtime = new WasmRuntime(new WasmOptions { Allocation = WasmAllocation.Pooling, PoolSlots = 3 });
        var module = runtime.LoadText(WasmModules.Relay);
        var instances = Enumerable.Range(0, 3).Select(_ => runtime.CreateBehaviour(module)).ToList();
        Assert.Throws<WasmModuleRefusedException>(() => runtime.CreateBehaviour(module));

        instances[0].Dispose();
        instances[0] = runtime.CreateBehaviour(module);
        Assert.Equal((3L, 4L), (runtime.Counters.InstancesLive, runtime.Counters.InstancesCreated));
        instances.ForEach(i => i.Dispose());
    }

    [Fact]
    public void A_module_loaded_by_another_runtime_cannot_be_instantiated_here()
    {
        using var other = new WasmRuntime();
        var module = other.LoadText(WasmModules.Relay);
        Assert.Throws<ArgumentException>(() => _runtime.CreateBehaviour(module));
    }

    [Fact]
    public void A_trap_in_init_or_a_bad_payload_buffer_is_reported_with_the_export_that_failed()
    {
        const string badInit = """
            (module (memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 1))
              (func (export "init") unreachable) (func (export "on_spike") (param i32 i32 i32 i32 i32)))
            """;
        const string badBuffer = """
            (module (memory (export "memory") 1) (func (export "abi_version") (result i32) (i32.const 1))
              (func (export "payload_buffer") (result i32) (i32.const 65000)) (func (export "on_spike") (param i32 i32 i32 i32 i32)))
            """;
        var init = _runtime.CreateBehaviour(_runtime.LoadText(badInit));
        var buffer = _runtime.CreateBehaviour(_runtime.LoadText(badBuffer));
        _mesh.AddNeuron(2, init);
        _mesh.AddNeuron(3, buffer);
        _mesh.Inject(Spike.Create(source: 1000, target: 2));
        _mesh.Inject(Spike.Create(source: 1000, target: 3));
        _mesh.RunUntilIdle();

        Assert.Equal((WasmAbi.InitExport, WasmFaultKind.Unreachable), (init.Trap?.Export, init.Trap?.Kind));
        Assert.Equal((WasmAbi.PayloadBufferExport, WasmFaultKind.AbiViolation), (buffer.Trap?.Export, buffer.Trap?.Kind));
        Assert.Equal(1, init.Counters.SpikesTrapped);
    }

    internal static Spike WithPayload(Spike spike, byte[] payload)
    {
        spike.SetInlinePayload(payload);
        return spike;
    }
}
