using System.Buffers.Binary;
using System.Collections.Concurrent;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Deploy;

namespace NeuroMesh.Tests.Agents;

/// <summary>
/// The examples in examples/wasm/, built from source here (WAT by Wasmtime, C by clang for wasm32, AssemblyScript by its
/// npm compiler), each run in a mesh: a relay, a counter whose state outlives its instance, a learner that sends reward.
/// </summary>
public sealed class WasmLanguageTests : IDisposable
{
    private static readonly ConcurrentDictionary<(string Language, string Agent), byte[]> Built = new();

    private readonly WasmRuntime _runtime = new();
    private readonly Cortex _mesh = new(new CortexOptions { MaxNeurons = 8, RingCapacity = 64 });
    private readonly List<Delivery> _log = [];

    public void Dispose()
    {
        _mesh.Dispose();
        _runtime.Dispose();
    }

    [SkippableTheory]
    [InlineData("wat")]
    [InlineData("c")]
    [InlineData("assemblyscript")]
    public void The_relay_passes_every_payload_and_type_on(string language)
    {
        byte[][] readings = [[1], [2, 3], [.. Enumerable.Range(0, 100).Select(i => (byte)i)]];
        _mesh.AddNeuron(1, new Sensor(readings));
        _mesh.AddNeuron(2, _runtime.CreateBehaviour(_runtime.Load(Build(language, "relay"))));
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        _mesh.Subscribe(2, 9);
        _mesh.Inject(WasmBehaviourTests.WithPayload(Spike.Create(source: 1, target: Spike.BroadcastTarget, type: SpikeType.Inhibitory), [5]));
        _mesh.Stimulate(1);
        _mesh.RunUntilIdle();

        Assert.Equal(readings.Select(Convert.ToHexString).Append("05").Order(), _log.Select(d => Convert.ToHexString(d.Payload)).Order());
        Assert.Equal(SpikeType.Inhibitory, Assert.Single(_log, d => d.Payload.SequenceEqual(new byte[] { 5 })).Type);
        Assert.Equal(0, _mesh.Counters.Faults);
    }

    [SkippableTheory]
    [InlineData("wat")]
    [InlineData("c")]
    [InlineData("assemblyscript")]
    public void The_counter_counts_in_its_state_and_a_fresh_instance_restored_from_the_log_counts_on(string language)
    {
        var module = _runtime.Load(Build(language, "counter"));
        var handle = _mesh.AddNeuron(2, _runtime.CreateBehaviour(module));
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(2, 9);
        for (var i = 0; i < 10; i++)
        {
            _mesh.Inject(Spike.Create(source: 1000, target: 2));
            _mesh.RunUntilIdle();
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), _log.Select(d => BinaryPrimitives.ReadInt64LittleEndian(d.Payload)));
        var deltas = handle.TakeRecordedState();
        _mesh.RemoveNeuron(2);

        var restored = _runtime.CreateBehaviour(module);
        deltas.ForEach(d => restored.Restore(d.Delta));
        _mesh.AddNeuron(2, restored);
        _mesh.Subscribe(2, 9);
        _mesh.Inject(Spike.Create(source: 1000, target: 2));
        _mesh.RunUntilIdle();
        Assert.Equal(11, BinaryPrimitives.ReadInt64LittleEndian(_log[^1].Payload));
    }

    [SkippableTheory]
    [InlineData("wat")]
    [InlineData("c")]
    [InlineData("assemblyscript")]
    public void The_learner_rewards_right_answers_and_penalises_wrong_ones(string language)
    {
        var learner = _runtime.CreateBehaviour(_runtime.Load(Build(language, "learner")));
        _mesh.AddNeuron(2, learner);
        _mesh.AddNeuron(9, new Recorder(_log));
        _mesh.Subscribe(2, 9);
        foreach (var answer in new byte[] { 1, 0, 1 })
        {
            _mesh.Inject(WasmBehaviourTests.WithPayload(Spike.Create(source: 1000, target: 2), [answer]));
        }

        _mesh.RunUntilIdle();
        Assert.Equal([1f, -0.5f, 1f], _log.Select(d => BinaryPrimitives.ReadSingleLittleEndian(d.Payload)));
        Assert.All(_log, d => Assert.Equal(SpikeType.Modulatory, d.Type));
        Assert.Equal(["judged", "judged", "judged"], learner.RecentLogs);
    }

    /// <summary>The example's binary, built from its source in examples/wasm/ (once per test run).</summary>
    private static byte[] Build(string language, string agent) => Built.GetOrAdd((language, agent), key =>
    {
        var examples = Path.Combine(Engine.ExamplesDirectory.Root(), "examples", "wasm");
        if (key.Language == "wat")
        {
            return Wasmtime.Module.ConvertText(File.ReadAllText(Path.Combine(examples, "wat", $"{key.Agent}.wat")));
        }

        var output = Path.Combine(Path.GetTempPath(), $"neuromesh-wasm-{Guid.NewGuid():N}.wasm");
        try
        {
            var (code, log) = key.Language == "c"
                ? TestTools.Run(
                    TestTools.Find("NEUROMESH_TEST_CLANG", "clang"),
                    ["--target=wasm32", "-O2", "-ffreestanding", "-nostdlib", "-Wall", "-Wextra", "-Werror", "-Wl,--no-entry", "-o", output, $"{key.Agent}.c"],
                    Path.Combine(examples, "c"))
                : TestTools.Run(TestTools.Find("NEUROMESH_TEST_NODE", "node"), [AssemblyScriptCompiler(examples), $"{key.Agent}.ts", "-o", output, "--config", "asconfig.json"], Path.Combine(examples, "assemblyscript"));
            Assert.True(code == 0, $"building {key.Language} {key.Agent} failed:\n{log}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(output);
        }
    });

    private static string AssemblyScriptCompiler(string examples)
    {
        var asc = Path.Combine(examples, "assemblyscript", "node_modules", "assemblyscript", "bin", "asc.js");
        if (!File.Exists(asc))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"AssemblyScript is missing under CI=true ({asc}); ./test.sh installs it (npm ci in examples/wasm/assemblyscript).");
            }

            Skip.If(true, "AssemblyScript is missing: run ./test.sh, or npm ci in examples/wasm/assemblyscript");
        }

        return asc;
    }
}
