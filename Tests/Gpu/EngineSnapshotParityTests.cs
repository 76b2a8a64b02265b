using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Network;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Gpu;

/// <summary>
/// Engine snapshots on the device: IlgpuEngine writes CpuEngine's state at the same tick, and a state written by either
/// engine restores onto the other (or onto device shards) and continues with the same spikes, weights and traces.
/// </summary>
public abstract class EngineSnapshotParityTests<TContext>
    where TContext : AcceleratorContext, new()
{
    private readonly TContext _context = new();

    /// <summary>Networks both engines run bit for bit (COBA is close, not identical, across engines: see <see cref="IlgpuEngine"/>).</summary>
    public static TheoryData<string> Networks => ["cuba", "delta_delays", "stdp", "rstdp"];

    internal static NetworkSpec Network(string name) => name switch
    {
        "cuba" => EngineParityTests<TContext>.SmallCuba(duration: 50),
        "coba" => SmallCoba(),
        "delta_delays" => ExamplesDirectory.Spec("delta_delays.json") with { Duration = 50 },
        _ => EngineSnapshotTests.Network(name),
    };

    [SkippableTheory]
    [MemberData(nameof(Networks))]
    public void The_device_writes_the_state_CpuEngine_writes_at_the_same_tick(string network)
    {
        _context.SkipIfAbsent();
        var spec = Network(network);
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        var expected = cpu.Run(250);
        Assert.Equal(expected.Spikes, gpu.Run(250).Spikes);
        Assert.True(expected.Spikes.Length > 50, $"{network} must be active before the snapshot ({expected.Spikes.Length} spikes)");

        var state = gpu.ExportState();
        EngineSnapshotTests.AssertSameState(cpu.ExportState(), state);
        Assert.Equal(250, state.Tick);
        if (network is "stdp" or "rstdp")
        {
            Assert.True(state.PlasticWeight.Length > 1000, "the state must hold the plastic synapses");
            Assert.Contains(state.Rules[0].PostY, y => y != 0);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Networks))]
    public void A_state_moves_between_CpuEngine_and_the_device_and_continues_bit_identically(string network)
    {
        _context.SkipIfAbsent();
        var spec = Network(network);
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        cpu.Run(200);
        var fromCpu = ThroughFile(cpu.ExportState(), spec);

        // CpuEngine's state onto the device: the same continuation as the engine that wrote it.
        using var gpu = new IlgpuEngine(spec, _context.Options());
        gpu.ImportState(fromCpu);
        Assert.Equal(200, gpu.CurrentTick);
        var expected = cpu.Run(150);
        var actual = gpu.Run(150);
        Assert.True(expected.Spikes.Length > 20, $"{network} must fire after the snapshot ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.Spikes, actual.Spikes);
        var fromGpu = ThroughFile(gpu.ExportState(), spec);
        EngineSnapshotTests.AssertSameState(cpu.ExportState(), fromGpu);

        // And back: the device's state onto a fresh CpuEngine (2 threads) and a fresh device engine.
        using var cpuAgain = new CpuEngine(spec, new EngineOptions { Threads = 2 });
        cpuAgain.ImportState(fromGpu);
        using var gpuAgain = new IlgpuEngine(spec, _context.Options());
        gpuAgain.ImportState(fromGpu);
        var reference = gpu.Run(100);
        Assert.Equal(reference.Spikes, cpuAgain.Run(100).Spikes);
        Assert.Equal(reference.Spikes, gpuAgain.Run(100).Spikes);
        EngineSnapshotTests.AssertSameState(gpu.ExportState(), gpuAgain.ExportState());
        EngineSnapshotTests.AssertSameState(gpu.ExportState(), cpuAgain.ExportState());
    }

    [SkippableFact]
    public void A_coba_state_restores_on_the_device_with_the_same_spikes_and_state()
    {
        _context.SkipIfAbsent();
        var spec = Network("coba");
        using var gpu = new IlgpuEngine(spec, _context.Options());
        gpu.Run(300);
        var state = ThroughFile(gpu.ExportState(), spec);
        using var restored = new IlgpuEngine(spec, _context.Options());
        restored.ImportState(state);
        var expected = gpu.Run(200);
        Assert.True(expected.Spikes.Length > 30, $"COBA must fire after the snapshot ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.Spikes, restored.Run(200).Spikes);
        EngineSnapshotTests.AssertSameState(gpu.ExportState(), restored.ExportState());
    }

    [SkippableFact]
    public void Spikes_in_flight_across_the_snapshot_are_delivered_once_on_the_device()
    {
        _context.SkipIfAbsent();
        var spec = Network("delta_delays");
        using var gpu = new IlgpuEngine(spec, _context.Options());
        gpu.Run(300);
        var state = gpu.ExportState();
        var pending = Enumerable.Range(2, state.Slots - 2).Sum(k => Enumerable.Range(0, state.NeuronCount).Count(i => state.Ring(0, k, i) != 0));
        Assert.True(pending > 0, "the snapshot must hold input that arrives two or more ticks later");

        using var restored = new IlgpuEngine(spec, _context.Options());
        restored.ImportState(state);
        var expected = gpu.Run(100);
        Assert.Equal(expected.Spikes, restored.Run(100).Spikes);

        // Without its rings, the same state gives other spikes: the rings carry what is in flight.
        using var dropped = new IlgpuEngine(spec, _context.Options());
        dropped.ImportState(EngineSnapshotTests.Without(state, rings: true));
        Assert.NotEqual(expected.SpikeTrainHash, dropped.Run(100).SpikeTrainHash);
    }

    [SkippableTheory]
    [InlineData("stdp", 2, 3)]
    [InlineData("rstdp", 2, 1)]
    public void Device_shards_write_the_whole_state_and_restore_onto_another_shard_count(string network, int from, int to)
    {
        _context.SkipIfAbsent();
        var spec = Network(network);
        using var single = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        single.Run(200);
        var at200 = single.ExportState();
        var continued = single.Run(120);

        using var sharded = new ShardRunner(spec, from, engine: a => new IlgpuEngine(spec, _context.Options() with { Shard = a })).Run(200);
        var state = ThroughFile(EngineState.Concat([.. sharded.Engines.Select(e => e.ExportState())]), spec);
        EngineSnapshotTests.AssertSameState(at200, state);

        using var rescaled = new ShardRunner(spec, to, engine: a => new IlgpuEngine(spec, _context.Options() with { Shard = a }));
        foreach (var engine in rescaled.Engines)
        {
            engine.ImportState(state);
        }

        rescaled.Run(120);
        Assert.Equal(continued.SpikeTrainHash, rescaled.Hash);
        EngineSnapshotTests.AssertSameState(single.ExportState(), EngineState.Concat([.. rescaled.Engines.Select(e => e.ExportState())]));
    }

    [SkippableFact]
    public void A_state_of_another_network_or_an_engine_that_ran_is_refused_and_nothing_changes()
    {
        _context.SkipIfAbsent();
        var spec = Network("stdp");
        using var source = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        source.Run(100);
        var state = source.ExportState();

        using var ran = new IlgpuEngine(spec, _context.Options());
        ran.Run(10);
        Assert.Contains("freshly built", Assert.Throws<InvalidOperationException>(() => ran.ImportState(state)).Message);
        Assert.Equal(10, ran.CurrentTick);

        using var otherSeed = new IlgpuEngine(spec, _context.Options() with { Seed = 99 });
        var before = otherSeed.ExportState();
        Assert.Contains("another spec or seed", Assert.Throws<ArgumentException>(() => otherSeed.ImportState(state)).Message);
        Assert.Equal(0, otherSeed.CurrentTick);
        EngineSnapshotTests.AssertSameState(before, otherSeed.ExportState());

        using var cuba = new IlgpuEngine(Network("cuba"), _context.Options());
        Assert.Contains("not of this network", Assert.Throws<ArgumentException>(() => cuba.ImportState(state)).Message);

        // A shard that has not applied its peers' spikes of the last window cannot be captured.
        using var shards = new ShardRunner(spec, 2, engine: a => new IlgpuEngine(spec, _context.Options() with { Shard = a }));
        shards.Engines[0].RunWindow(1);
        Assert.Contains("waits for the end of window", Assert.Throws<InvalidOperationException>(() => shards.Engines[0].ExportState()).Message);
    }

    /// <summary>COBA from examples/coba.json at 500 neurons with the same in-degree (p = 0.16).</summary>
    private static NetworkSpec SmallCoba()
    {
        var spec = ExamplesDirectory.Spec("coba.json");
        return spec with
        {
            Duration = 50,
            Populations = [spec.Populations[0] with { Size = 400 }, spec.Populations[1] with { Size = 100 }],
            Projections = [.. spec.Projections.Select(p => p with { Rule = p.Rule with { P = 0.16 } })],
        };
    }

    private static EngineState ThroughFile(EngineState state, NetworkSpec spec) => RunSnapshot.Parse(EngineSnapshotTests.File(state, spec).Bytes).DecodeState();
}

[Collection(AcceleratorCollection.Name)]
public sealed class EngineSnapshotParityTestsOnCpuEmulator : EngineSnapshotParityTests<CpuEmulatorContext>;

[Collection(AcceleratorCollection.Name)]
public sealed class EngineSnapshotParityTestsOnCuda : EngineSnapshotParityTests<CudaContext>;
