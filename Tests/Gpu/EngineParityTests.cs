using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Network;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Network;

namespace NeuroMesh.Tests.Gpu;

/// <summary>Whole-network parity: IlgpuEngine against CpuEngine on the same specs, written once for every accelerator.</summary>
public abstract class EngineParityTests<TContext>
    where TContext : AcceleratorContext, new()
{
    private readonly TContext _context = new();

    /// <summary>CUBA from examples/cuba.json at 500 neurons, p = 0.1 (its bias drives firing at any size), 100 ms: the emulator is slow.</summary>
    public static NetworkSpec SmallCuba(int neurons = 500, double duration = 100)
    {
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "cuba.json"));
        return spec with
        {
            Duration = duration,
            Populations = [spec.Populations[0] with { Size = neurons * 4 / 5 }, spec.Populations[1] with { Size = neurons / 5 }],
            Projections = [.. spec.Projections.Select(p => p with { Rule = p.Rule with { P = 0.1 } })],
        };
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void Cuba_spike_train_is_bit_identical_to_CpuEngine(int presynapticMinSpikes)
    {
        _context.SkipIfAbsent();
        var spec = SmallCuba();
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options(presynapticMinSpikes));
        var expected = cpu.Run();
        var actual = gpu.Run();
        Assert.True(expected.Spikes.Length > 200, $"the network must be active to compare anything ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.SpikeTrainHash, actual.SpikeTrainHash);
        Assert.Equal(cpu.ReadState("v"), gpu.ReadState("v"));
        Assert.Equal(cpu.ReadState("ge"), gpu.ReadState("ge"));
        Assert.Equal(cpu.ReadState("gi"), gpu.ReadState("gi"));
        Assert.Equal(cpu.SynapseCount, gpu.SynapseCount);
        Assert.Equal(cpu.FixedPointShift, gpu.FixedPointShift);
    }

    [SkippableFact]
    public void The_cortical_microcircuit_is_bit_identical_to_CpuEngine()
    {
        // examples/microcircuit.json at 0.3% of its neurons (232, in-degrees kept: 0.9 M synapses), 12 ms (the emulator is
        // slow): normal weights and delays over 8 populations, exponential current synapses, 8 Hz background on thousands
        // of trains per neuron, and the initial potentials that put a fifth of the neurons over threshold at once.
        _context.SkipIfAbsent();
        var spec = ExamplesDirectory.Spec("microcircuit.json").WithPopulationsScaled(0.003) with { Duration = 12 };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        var expected = cpu.Run();
        Assert.True(expected.Spikes.Length > 30, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.SpikeTrainHash, gpu.Run().SpikeTrainHash);
        Assert.Equal(cpu.SynapseCount, gpu.SynapseCount);
        Assert.Equal(cpu.ReadState("v"), gpu.ReadState("v"));
    }

    [SkippableFact]
    public void Delta_synapses_with_delays_and_poisson_drive_are_bit_identical_to_CpuEngine()
    {
        _context.SkipIfAbsent();
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 50 };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        var expected = cpu.Run();

        // Two runs back to back: device state, rings and stimulus cursors must carry over between calls.
        var first = gpu.Run(200);
        var second = gpu.Run(300);
        var actual = first.Spikes.Concat(second.Spikes).ToArray();
        Assert.True(expected.Spikes.Length > 200, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.Spikes, actual);
        Assert.Equal(cpu.ReadState("v"), gpu.ReadState("v"));
        Assert.Equal(expected.MonitoredSpikes["spikes"].Length, first.MonitoredSpikes["spikes"].Length + second.MonitoredSpikes["spikes"].Length);
        var trace = Assert.Single(expected.Traces);
        Assert.Equal(trace.Values.AsSpan(0, 20 * 3).ToArray(), Assert.Single(first.Traces).Values);
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void Double_buffered_windows_of_any_length_give_the_same_spike_train(int windowTicks)
    {
        _context.SkipIfAbsent();
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 12 };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options() with { WindowTicks = windowTicks });
        Assert.Equal(windowTicks, gpu.WindowTicks);
        var expected = cpu.Run();
        var actual = gpu.Run();
        Assert.True(expected.Spikes.Length > 20, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.Spikes, actual.Spikes);
        Assert.Equal(cpu.ReadState("v"), gpu.ReadState("v"));
    }

    [SkippableFact]
    public void Whole_run_hash_matches_for_delta_synapses()
    {
        _context.SkipIfAbsent();
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 30, Seed = 3 };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options(int.MaxValue));
        Assert.Equal(cpu.Run().SpikeTrainHash, gpu.Run().SpikeTrainHash);
    }

    [SkippableFact]
    public void Coba_follows_CpuEngine_to_float_rounding()
    {
        _context.SkipIfAbsent();
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "coba.json"));
        spec = spec with
        {
            Populations = [spec.Populations[0] with { Size = 160 }, spec.Populations[1] with { Size = 40 }],
        };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        cpu.Run(20);
        gpu.Run(20);
        var expected = cpu.ReadState("v");
        var actual = gpu.ReadState("v");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-2f, $"neuron {i}: CpuEngine {expected[i]}, IlgpuEngine {actual[i]}");
        }
    }

    [SkippableTheory]
    [InlineData(0.0, 0)]
    [InlineData(0.1, 1)]
    [InlineData(2.5, 25)]
    public void A_spike_arrives_exactly_delay_ticks_later(double delayMs, int delayTicks)
    {
        _context.SkipIfAbsent();
        var spec = Specs.TwoNeurons(projection: Specs.AToB(50, delayMs)) with
        {
            Stimuli = [new StimulusSpec { Name = "kick", Kind = StimulusKinds.SpikeTimes, Target = "A", Weight = 50, Spikes = [new SpikeTimeSpec { Neuron = 0, Time = 0.7 }] }],
        };
        using var engine = new IlgpuEngine(spec, _context.Options());
        Assert.Equal([new(7, 0), new(7 + delayTicks + 1, 1)], engine.Run(100).Spikes);
    }

    [SkippableFact]
    public void Injections_and_forced_spikes_act_as_on_CpuEngine()
    {
        _context.SkipIfAbsent();
        using var engine = new IlgpuEngine(Specs.TwoNeurons(projection: Specs.AToB(50, 3)), _context.Options());
        engine.Inject(1, 50, delayTicks: 5);
        engine.ForceSpike(0);
        var fired = new List<(int Tick, int Neuron)>();
        for (var t = 0; t < 40; t++)
        {
            foreach (var n in engine.Step())
            {
                fired.Add((t, n));
            }
        }

        // The injection makes B fire at tick 5; A, forced at tick 0, reaches B 30 ticks later, after B's 20-tick refractory period.
        Assert.Equal([(0, 0), (5, 1), (31, 1)], fired);
        Assert.Equal(40, engine.CurrentTick);
    }

    [SkippableFact]
    public void Saturating_injections_are_clipped_and_counted()
    {
        _context.SkipIfAbsent();
        using var engine = new IlgpuEngine(Specs.TwoNeurons(), _context.Options());
        var max = int.MaxValue / Math.ScaleB(1.0, engine.FixedPointShift);
        engine.Inject(1, max);
        engine.Inject(1, max);
        engine.Step();
        Assert.Equal(1, engine.Counters.SaturatedInputs);
    }

    /// <summary>delta_delays with STDP on E→E (weights of 0.2 mV move between 0.1 and 0.3, so some clip), at 500 neurons.</summary>
    public static NetworkSpec PlasticDelta(string kind = PlasticityKinds.Stdp, double duration = 60)
    {
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = duration };
        var rule = new PlasticitySpec
        {
            Kind = kind, APlus = 0.1, AMinus = 0.12, TauPlus = 15, TauMinus = 20, WMin = 0.1, WMax = 0.3, TauEligibility = 40, LearningRate = 2,
        };
        return spec with
        {
            Populations = [spec.Populations[0] with { Size = 400 }, spec.Populations[1] with { Size = 100 }],
            Projections = [.. spec.Projections.Select(p => p.Name != "E_all_E" ? p : p with { Plasticity = rule })],
        };
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void Stdp_weights_and_spike_trains_are_bit_identical_to_CpuEngine(int presynapticMinSpikes)
    {
        _context.SkipIfAbsent();
        var spec = PlasticDelta();
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options(presynapticMinSpikes));
        var expected = cpu.Run();
        var actual = gpu.Run();
        Assert.True(expected.Spikes.Length > 300, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.SpikeTrainHash, actual.SpikeTrainHash);
        AssertSameWeights(spec, cpu, gpu, expectChanges: true);
        Assert.True(cpu.Counters.ClippedWeights > 0, "some weights must reach a bound for the clip count to mean anything");
        Assert.Equal(cpu.Counters.ClippedWeights, gpu.Counters.ClippedWeights);
        Assert.Equal(cpu.ReadState("v"), gpu.ReadState("v"));
    }

    [SkippableFact]
    public void Stdp_on_cuba_is_bit_identical_to_CpuEngine_across_calls()
    {
        _context.SkipIfAbsent();
        var cuba = SmallCuba(duration: 40);
        var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.05, AMinus = 0.055, TauPlus = 10, TauMinus = 10, WMin = 0, WMax = 1.5 };
        var spec = cuba with { Projections = [.. cuba.Projections.Select(p => p.Channel == SynapseChannels.Excitatory ? p with { Plasticity = stdp } : p)] };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        var expected = cpu.Run();
        var first = gpu.Run(150);
        var second = gpu.Run(spec.TotalTicks - 150);
        Assert.True(expected.Spikes.Length > 100, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.Spikes, first.Spikes.Concat(second.Spikes).ToArray());
        AssertSameWeights(spec, cpu, gpu, expectChanges: true);
    }

    [SkippableFact]
    public void Rstdp_turns_eligibility_into_weight_change_only_under_modulation_as_on_CpuEngine()
    {
        _context.SkipIfAbsent();
        var plain = PlasticDelta(PlasticityKinds.RStdp, duration: 40);
        var reward = new StimulusSpec
        {
            Name = "reward", Kind = StimulusKinds.Poisson, Target = "E", Rate = 50, Count = 1, Weight = 1, Channel = SynapseChannels.Modulatory,
        };
        var spec = plain with { Stimuli = [.. plain.Stimuli, reward] };
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        var expected = cpu.Run();
        var actual = gpu.Run();
        Assert.True(expected.Spikes.Length > 200, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.SpikeTrainHash, actual.SpikeTrainHash);
        AssertSameWeights(spec, cpu, gpu, expectChanges: true);

        // With no modulation the eligibility never turns into weight: every plastic weight keeps its initial value.
        using var unrewarded = new IlgpuEngine(plain, _context.Options());
        unrewarded.Run();
        using var initial = new CpuEngine(plain, new EngineOptions { Threads = 1 });
        AssertSameWeights(plain, initial, unrewarded, expectChanges: false);
    }

    [SkippableFact]
    public void Modulation_injected_by_the_host_drives_rstdp_as_on_CpuEngine()
    {
        _context.SkipIfAbsent();
        var spec = PlasticDelta(PlasticityKinds.RStdp, duration: 30);
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var gpu = new IlgpuEngine(spec, _context.Options());
        var cpuSpikes = new List<int>();
        var gpuSpikes = new List<int>();
        for (var t = 0; t < spec.TotalTicks; t++)
        {
            if (t % 50 == 49)
            {
                for (var i = 0; i < 400; i += 7)
                {
                    cpu.Inject(i, 0.5 + (t % 3), SpikeType.Modulatory);
                    gpu.Inject(i, 0.5 + (t % 3), SpikeType.Modulatory);
                }
            }

            cpuSpikes.AddRange(cpu.Step().ToArray());
            gpuSpikes.AddRange(gpu.Step().ToArray());
        }

        Assert.True(cpuSpikes.Count > 100, $"the network must be active ({cpuSpikes.Count} spikes)");
        Assert.Equal(cpuSpikes, gpuSpikes);
        AssertSameWeights(spec, cpu, gpu, expectChanges: true);
    }

    [SkippableTheory]
    [InlineData(2, false, false)]
    [InlineData(3, true, false)]
    [InlineData(2, true, true)]
    public void Shards_on_the_device_give_the_single_engine_spike_train(int shards, bool viaFrames, bool mixed)
    {
        _context.SkipIfAbsent();
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 15 };
        using var single = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var expected = single.Run();

        // Mixed: odd shards stay on CpuEngine, so device and CPU shards exchange frames with each other.
        using var run = new ShardRunner(spec, shards, viaFrames, engine: a => mixed && a.Index % 2 == 1
            ? new CpuEngine(spec, new EngineOptions { Threads = 1, Shard = a })
            : new IlgpuEngine(spec, _context.Options() with { Shard = a })).Run(spec.TotalTicks);
        Assert.True(expected.Spikes.Length > 50, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.SpikeTrainHash, run.Hash);
        Assert.Equal(mixed ? 1 : shards, run.Engines.Count(e => e is IlgpuEngine));
        Assert.All(run.Engines, e => Assert.Equal(0, e.RemotePending));
        Assert.Equal(single.SynapseCount, run.Engines.Sum(e => e.SynapseCount));
        var gpu = (IlgpuEngine)run.Engines[0];
        Assert.Throws<InvalidOperationException>(() => gpu.Run(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.RunWindow(run.Plan.WindowTicks + 1));
    }

    [SkippableFact]
    public void A_device_shard_refuses_a_window_before_its_peers_ended_the_last_one()
    {
        _context.SkipIfAbsent();
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json")) with { Duration = 10 };
        var plan = ShardPlan.Create(spec, 2);
        using var gpu = new IlgpuEngine(spec, _context.Options() with { Shard = plan.For(0) });
        gpu.RunWindow(plan.WindowTicks);
        var e = Assert.Throws<InvalidOperationException>(() => gpu.RunWindow(plan.WindowTicks));
        Assert.Contains("from shard(s) 1", e.Message);
        Assert.Equal([1], gpu.MissingPeers());
        var foreign = Spike.Create((uint)plan.Lo(0), Spike.BroadcastTarget, SpikeType.Excitatory, 0);
        Assert.Throws<ArgumentException>(() => gpu.IngestRemote(1, [foreign]));
        gpu.IngestRemote(1, []);
        Assert.True(gpu.PeersComplete);
        Assert.Throws<InvalidOperationException>(() => gpu.IngestRemote(1, []));
    }

    [SkippableFact]
    public void Plastic_weight_diffs_of_a_device_shard_equal_CpuEngines()
    {
        _context.SkipIfAbsent();
        var spec = PlasticDelta(duration: 30);
        var whole = ShardPlan.Create(spec, 1);
        using var cpu = new CpuEngine(spec, new EngineOptions { Threads = 1, Shard = whole.For(0) });
        using var gpu = new IlgpuEngine(spec, _context.Options() with { Shard = whole.For(0) });
        for (var w = 0; w < 3; w++)
        {
            var ticks = (int)Math.Min(whole.WindowTicks, 100);
            Assert.Equal(cpu.RunWindow(ticks).ToRecords(), gpu.RunWindow(ticks).ToRecords());
            var expected = cpu.DiffPlasticWeights();
            var actual = gpu.DiffPlasticWeights();
            Assert.Equal(expected.Digest(), actual.Digest());
            Assert.Equal(expected.Count, actual.Count);
        }

        Assert.True(cpu.DiffPlasticWeights().Count == 0 && gpu.DiffPlasticWeights().Count == 0, "a second call with no window between reports nothing");
        var (eligible, plastic, sample) = gpu.SampleWeights(100);
        Assert.True(plastic);
        Assert.Equal(cpu.SampleWeights(100).Eligible, eligible);
        Assert.Equal(100, sample.Length);
    }

    [SkippableTheory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(2, true)]
    public void Stdp_across_device_shards_gives_the_single_engine_spikes_and_weights(int shards, bool mixed)
    {
        _context.SkipIfAbsent();
        var spec = PlasticDelta(duration: 25);
        using var single = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var expected = single.Run();

        // Mixed: odd shards on CpuEngine, so a device shard replays the STDP of spikes a CPU shard sent and vice versa.
        using var run = new ShardRunner(spec, shards, viaFrames: true, engine: a => mixed && a.Index % 2 == 1
            ? new CpuEngine(spec, new EngineOptions { Threads = 1, Shard = a })
            : new IlgpuEngine(spec, _context.Options() with { Shard = a })).Run(spec.TotalTicks);
        Assert.Null(IlgpuEngine.Unsupported(spec)); // plastic synapses across shards are no reason to stay on CpuEngine
        Assert.True(expected.Spikes.Length > 100, $"the network must be active ({expected.Spikes.Length} spikes)");
        Assert.Equal(expected.SpikeTrainHash, run.Hash);

        // Every E→E synapse (the plastic projection) of a sample, read from the shard that owns its target.
        var random = new Random(3);
        int moved = 0, remote = 0;
        foreach (var (s, t) in Enumerable.Range(0, 3000).Select(_ => (S: random.Next(400), T: random.Next(400))))
        {
            var owner = run.Engines[run.Plan.ShardOf(t)];
            Assert.Equal(single.TryGetWeight(s, t, out var weight), owner.TryGetWeight(s, t, out var actual));
            Assert.Equal(weight, actual);
            var changed = single.TryGetWeight(s, t, out _) && Math.Abs(weight - 0.2) > 1e-6;
            moved += changed ? 1 : 0;
            remote += changed && run.Plan.ShardOf(s) != run.Plan.ShardOf(t) && owner is IlgpuEngine ? 1 : 0;
        }

        Assert.True(remote > 20, $"STDP must move weights of device-shard synapses from other shards ({moved} moved, {remote} of them remote onto a device shard)");
    }

    [SkippableFact]
    public void Networks_with_more_populations_than_the_device_indexes_are_refused_with_a_pointer_to_CpuEngine()
    {
        _context.SkipIfAbsent();
        var spec = new NetworkSpec
        {
            Populations = [.. Enumerable.Range(0, IlgpuEngine.MaxPopulations + 1).Select(i => new PopulationSpec { Name = $"P{i}", Size = 1, Params = Specs.Quiet() })],
        };
        var e = Assert.Throws<NotSupportedException>(() => new IlgpuEngine(spec, _context.Options()));
        Assert.Contains("257 populations", e.Message);
        Assert.Contains("CpuEngine", e.Message);
        Assert.Contains("at most 256", IlgpuEngine.Unsupported(spec)); // so EngineFactory and the GPU worker keep it on CpuEngine
        using var engine = new IlgpuEngine(spec with { Populations = spec.Populations[..IlgpuEngine.MaxPopulations] }, _context.Options());
        Assert.Equal(IlgpuEngine.MaxPopulations, engine.NeuronCount);
    }

    [SkippableFact]
    public void Filtered_networks_are_refused_with_a_pointer_to_CpuEngine()
    {
        _context.SkipIfAbsent();
        var spec = Specs.TwoNeurons(projection: Specs.AToB(1, filter: new FilterSpec { Kind = "type", Type = "excitatory" }));
        var e = Assert.Throws<NotSupportedException>(() => new IlgpuEngine(spec, _context.Options()));
        Assert.Contains("CpuEngine", e.Message);
        Assert.Contains("dendritic filter", e.Message);
    }

    /// <summary>Every E→E synapse's weight (the first from each source to each target) read from both engines.</summary>
    private static void AssertSameWeights(NetworkSpec spec, IPropagationEngine cpu, IPropagationEngine gpu, bool expectChanges)
    {
        var e = spec.Populations[0].Size;
        var initial = spec.Projections.First(p => p.Plasticity is not null).Weight.Value;
        int compared = 0, changed = 0;
        for (var j = 0; j < e; j += 3)
        {
            for (var i = 0; i < e; i++)
            {
                var onCpu = cpu.TryGetWeight(j, i, out var wc);
                Assert.Equal(onCpu, gpu.TryGetWeight(j, i, out var wg));
                if (!onCpu)
                {
                    continue;
                }

                Assert.True(wc == wg, $"weight {j}->{i}: CpuEngine {wc}, IlgpuEngine {wg}");
                compared++;
                changed += Math.Abs(wc - initial) > 1e-6 ? 1 : 0;
            }
        }

        Assert.True(compared > 1000, $"only {compared} synapses compared");
        if (expectChanges)
        {
            Assert.True(changed > compared / 50, $"plasticity must move weights for the comparison to mean anything ({changed} of {compared} changed)");
        }
        else
        {
            Assert.Equal(0, changed);
        }
    }

    [SkippableFact]
    public void Bad_input_gets_a_clear_error()
    {
        _context.SkipIfAbsent();
        using var engine = new IlgpuEngine(Specs.TwoNeurons(), _context.Options());
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Inject(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Inject(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Inject(0, 1, delayTicks: 17));
        Assert.Throws<ArgumentException>(() => engine.ReadState("u"));
        Assert.Throws<NotSupportedException>(() => engine.AddSynapse(new SynapseDefinition(0, 1, 1)));
    }
}

[Collection(AcceleratorCollection.Name)]
public sealed class EngineParityTestsOnCpuEmulator : EngineParityTests<CpuEmulatorContext>;

[Collection(AcceleratorCollection.Name)]
public sealed class EngineParityTestsOnCuda : EngineParityTests<CudaContext>;
