using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Persistence;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Simulation;

/// <summary>Runs placed on 1, 2 and 3 silos of a real in-process cluster, exchanging spikes over the default transport.</summary>
[Collection(SiloCollection.Name)]
public sealed class LockstepClusterTests(DeltaLogClusterFixture fixture)
{
    /// <summary>CUBA for 60 ms: no delays, so windows of one tick and 600 exchanges per silo.</summary>
    private static readonly NetworkSpec Cuba = ExamplesDirectory.Spec("cuba.json") with { Duration = 60 };

    /// <summary>delta_delays with STDP on E→E, so weights move and are replayed across silos.</summary>
    private static NetworkSpec Plastic()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 120 };
        var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.02, AMinus = 0.024, TauPlus = 15, TauMinus = 20, WMin = 0, WMax = 0.4 };
        return spec with { Projections = [.. spec.Projections.Select(p => p.Name != "E_all_E" ? p : p with { Plasticity = stdp })] };
    }

    [Theory]
    [InlineData("cuba")]
    [InlineData("plastic")]
    [InlineData("routes")]
    public async Task The_same_spec_gives_the_same_hash_on_1_2_and_3_silos(string which)
    {
        var spec = which switch
        {
            "cuba" => Cuba,
            "plastic" => Plastic(),
            _ => ExamplesDirectory.Spec("routes.json") with { Duration = 400 }, // R-STDP with a modulatory reward: its populations share a shard
        };
        var (spikes, hash, records) = SingleEngine.Reference(spec);
        Assert.True(spikes > 200, $"the network should fire ({spikes} spikes)");
        foreach (var silos in new[] { 1, 2, 3 })
        {
            var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>($"lockstep-{which}-{silos}");
            await run.Deploy(spec.ToJson(), silos);
            await run.Step(spec.TotalTicks / 3);
            var status = await run.Step(spec.TotalTicks);

            Assert.Equal(RunPhase.Finished, status.Phase);
            Assert.Equal((spikes, hash), (status.Spikes, status.SpikeTrainHash));
            Assert.Equal(silos, status.Silos);
            Assert.Equal(spec.NeuronCount, status.Neurons);

            var shards = await run.GetShards();
            Assert.Equal(silos, shards.Select(s => s.Silo).Distinct().Count());
            Assert.Equal(spec.NeuronCount, shards.Sum(s => s.EndNeuron - s.FirstNeuron));
            var plan = ShardPlan.Create(spec, silos);
            foreach (var shard in shards)
            {
                // Each shard sent each peer exactly the spikes of its own neurons with a synapse onto that peer.
                var own = records.Where(r => r.Neuron >= shard.FirstNeuron && r.Neuron < shard.EndNeuron).ToList();
                var expected = Enumerable.Range(0, silos).Select(j => j == shard.Index ? 0L : own.LongCount(r => plan.Targets(r.Neuron, j))).ToArray();
                Assert.Equal(expected, shard.SpikesSentTo);
                Assert.Equal(expected.Sum(), shard.SpikesSent);
                Assert.Equal(0, shard.FramesRejected);
                if (silos > 1)
                {
                    Assert.InRange(shard.ExchangeP50Micros, 1, shard.ExchangeP99Micros); // 0 would mean no window was recorded
                }
            }

            // Every spike sent was applied by its receiver or is held there (the last window's, which no window follows);
            // the run waits for the last frames before it frees the shards, so nothing may be missing.
            Assert.Equal(shards.Sum(s => s.SpikesSent), shards.Sum(s => s.SpikesReceived + s.SpikesPending));
            Assert.Equal(RunPhase.Stopped, (await run.Stop()).Phase);
        }
    }

    /// <summary>Two areas of 400 delta neurons with Poisson drive, connected within each area and, when asked, from A to B only (one synapse per B neuron).</summary>
    private static NetworkSpec Areas(bool aToB)
    {
        const string Lif = """ "model": "lif_delta", "params": { "tauM": 20, "vRest": 0, "vThreshold": 20, "vReset": 10, "refractory": 2 } """;
        static string Projection(string name, string source, string target, int n) =>
            $$"""{ "name": "{{name}}", "source": "{{source}}", "target": "{{target}}", "rule": { "kind": "fixed_in_degree", "n": {{n}} }, "channel": "excitatory", "weight": 0.1, "delay": 1.5 }""";
        var projections = new List<string> { Projection("AA", "A", "A", 40), Projection("BB", "B", "B", 40) };
        if (aToB)
        {
            projections.Add(Projection("AB", "A", "B", 1)); // about a third of A has no synapse in B
        }

        return NetworkSpec.Parse($$"""
            {
              "dt": 0.1, "duration": 200, "seed": 11,
              "populations": [ { "name": "A", "size": 400, {{Lif}} }, { "name": "B", "size": 400, {{Lif}} } ],
              "projections": [ {{string.Join(", ", projections)}} ],
              "stimuli": [
                { "name": "driveA", "kind": "poisson", "target": "A", "rate": 20, "count": 300, "weight": 0.2 },
                { "name": "driveB", "kind": "poisson", "target": "B", "rate": 20, "count": 300, "weight": 0.2 }
              ]
            }
            """);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_spike_goes_only_to_silos_that_hold_its_targets_and_a_silo_without_any_gets_markers_only(bool aToB)
    {
        var spec = Areas(aToB);
        var (spikes, hash, records) = SingleEngine.Reference(spec);
        Assert.True(records.Any(r => r.Neuron < 400) && records.Any(r => r.Neuron >= 400), "both areas should fire");
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>($"lockstep-areas-{aToB}");
        await run.Deploy(spec.ToJson(), 2);
        var status = await run.Step(spec.TotalTicks);
        Assert.Equal((RunPhase.Finished, spikes, hash), (status.Phase, status.Spikes, status.SpikeTrainHash));

        var shards = (await run.GetShards()).OrderBy(s => s.Index).ToArray();
        Assert.Equal([(0, 400), (400, 800)], shards.Select(s => (s.FirstNeuron, s.EndNeuron)));

        // B never sends: nothing in A listens to it. A sends only when A→B exists, and then only the spikes of A's
        // neurons with a synapse in B; without it each window costs A its end-of-window marker alone.
        Assert.Equal([0L, 0L], shards[1].SpikesSentTo);
        Assert.Equal(shards[1].Windows, shards[1].FramesSent);
        var plan = ShardPlan.Create(spec, 2);
        var fromA = records.LongCount(r => r.Neuron < 400 && plan.Targets(r.Neuron, 1));
        Assert.Equal([0L, fromA], shards[0].SpikesSentTo);
        if (aToB)
        {
            Assert.InRange(fromA, 1, records.LongCount(r => r.Neuron < 400) - 1);
            Assert.Equal(400, shards[0].CrossingSynapses);
        }
        else
        {
            Assert.Equal(0, fromA);
            Assert.Equal(shards[0].Windows, shards[0].FramesSent);
            Assert.Equal(0, shards[0].CrossingSynapses);
        }

        Assert.Equal(shards.Sum(s => s.SpikesSent), shards.Sum(s => s.SpikesReceived + s.SpikesPending));
        Assert.Equal(RunPhase.Stopped, (await run.Stop()).Phase);
    }

    [Fact]
    public async Task Shards_land_on_distinct_silos_and_a_run_never_asks_for_more_silos_than_the_cluster_has()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-placement");
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.Deploy(Cuba.ToJson(), 4));
        Assert.Contains("4 silos but the cluster has 3 active silo(s)", error.Message);

        await run.Deploy(Cuba.ToJson());
        var status = await run.Step(10);
        Assert.Equal(3, status.Silos);
        Assert.Equal(1, status.WindowTicks); // CUBA has no delays: its synapses act one tick later
        var silos = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress.ToParsableString()).Order().ToArray();
        Assert.Equal(silos, (await run.GetShards()).Select(s => s.Silo).Order().ToArray());
        await run.Stop();
    }

    [Fact]
    public async Task A_corrupt_or_truncated_batch_is_rejected_and_counted_and_the_run_stays_exact()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 40 };
        var (spikes, hash, _) = SingleEngine.Reference(spec);
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-corrupt");
        await run.Deploy(spec.ToJson(), 2);
        await run.Step(100);
        var shards = await run.GetShards();

        // Feed the second shard's channel a batch with a flipped bit and a truncated one, through its silo's ingress router.
        var target = shards[1];
        var handle = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().Single(s => s.SiloAddress.ToParsableString() == target.Silo);
        var router = handle.SiloHost.Services.GetRequiredService<FabricIngressRouter>();
        var channel = target.Channel;
        var frame = SpikeFrame.Encode(0, 1_000_000, 100, 110, [Spike.Create(3, Spike.BroadcastTarget, SpikeType.Excitatory, 100)], SpikeFrameFlags.EndOfWindow);
        var corrupt = (byte[])frame.Clone();
        corrupt[^5] ^= 0x10;
        Assert.True(router.Route(new SpikeBatch(channel, corrupt)));
        Assert.True(router.Route(new SpikeBatch(channel, frame[..^7])));

        var status = await run.Step(spec.TotalTicks);
        Assert.Equal((spikes, hash), (status.Spikes, status.SpikeTrainHash));
        var after = await run.GetShards();
        Assert.Equal(2, after[1].FramesRejected);
        Assert.Equal(0, after[0].FramesRejected);
        await run.Stop();
    }

    [Fact]
    public async Task A_cuba_run_with_stdp_replayed_on_two_silos_continues_with_exactly_the_original_spikes()
    {
        var cuba = ExamplesDirectory.Spec("cuba.json") with { Duration = 80 };
        var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.01, AMinus = 0.0105, TauPlus = 20, TauMinus = 20, WMin = 0, WMax = 3 };
        var spec = cuba with { Projections = [.. cuba.Projections.Select(p => p.Name != "EE" ? p : p with { Plasticity = stdp })] };
        var (spikes, hash, _) = SingleEngine.Reference(spec);
        Assert.NotEqual(SingleEngine.Reference(cuba).Hash, hash); // STDP changes the spike train within the run, so replay must rebuild the weights

        // The original run: 500 ticks on two silos, checkpointed at 250 and 500.
        var original = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-stdp-original");
        await original.Deploy(spec.ToJson(), 2);
        await original.Step(250);
        await original.Step(250);

        // Its log, copied to a run that has never been active: that run must replay 0..500 on two fresh shards, verifying
        // both checkpoints (weights included, since STDP changes what follows), and then continue.
        var replayed = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-stdp-replayed");
        await using (var store = new NeuroMesh.Persistence.SqliteDeltaLogStore(new NeuroMesh.Persistence.SqliteDeltaLogOptions { Path = DeltaLogClusterFixture.DatabasePath }))
        {
            var deltas = new List<NeuroMesh.Persistence.Delta>();
            await foreach (var record in store.ReadAsync(original.GetGrainId().ToString()))
            {
                deltas.Add(new NeuroMesh.Persistence.Delta(record.Type, record.Payload));
            }

            // Deployed, then per checkpoint the weights STDP changed and the checkpoint that carries their digest.
            Assert.Equal(["SpecDeployed", "WeightsChanged", "RunCheckpointed", "WeightsChanged", "RunCheckpointed"], deltas.Select(d => d.Type));
            await store.AppendAsync(replayed.GetGrainId().ToString(), 0, NeuroMesh.Persistence.DeltaBatch.Create([.. deltas]));
        }

        var continued = await replayed.Step(spec.TotalTicks);
        var uninterrupted = await original.Step(spec.TotalTicks);
        Assert.Equal(2, continued.Silos);
        Assert.Equal((spikes, hash), (continued.Spikes, continued.SpikeTrainHash));
        Assert.Equal((spikes, hash), (uninterrupted.Spikes, uninterrupted.SpikeTrainHash));
        Assert.Equal(uninterrupted.WeightChanges, continued.WeightChanges);
        Assert.True(continued.WeightChanges > 0);
    }

    [Fact]
    public async Task External_inputs_are_logged_applied_at_their_ticks_on_any_silo_count_and_replayed()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 100 };
        ExternalInput[] inputs =
        [
            new(120, 5, 40), new(120, 950, 40), new(333, 7, 25), new(333, 7, 25), new(640, 999, 30, SpikeType.Excitatory),
            new(700, 400, -20, SpikeType.Inhibitory),
        ];

        // One engine with the same inputs: Inject before the update of the input's tick.
        var (count, expected, _) = SingleEngine.WithInputs(spec, inputs);
        Assert.NotEqual(SingleEngine.Reference(spec).Hash, expected); // the inputs change the spike train

        foreach (var silos in new[] { 1, 3 })
        {
            var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>($"lockstep-inputs-{silos}");
            await run.Deploy(spec.ToJson(), silos);
            await run.Step(100);
            await run.Inject(inputs);
            var status = await run.Step(spec.TotalTicks);
            Assert.Equal((count, expected), (status.Spikes, status.SpikeTrainHash));

            // A replay from the log applies the same inputs, or its checkpoints would not reproduce.
            var replay = await run.Replay();
            Assert.Equal((2, expected), (replay.Verified.Count, replay.SpikeTrainHash));
        }
    }

    [Fact]
    public async Task A_reward_from_outside_drives_R_STDP_exactly_as_one_engine_on_1_and_2_silos_and_is_replayed()
    {
        var spec = RewardSpec.Unrewarded();
        var actuators = Enumerable.Range(150, 50).ToArray();
        long[] ticks = [800, 1400, 2000, 2600];
        var inputs = ticks.SelectMany(t => actuators.Select(n => new ExternalInput(t, n, 25, SpikeType.Modulatory))).ToArray();
        var (count, hash, weights) = SingleEngine.WithInputs(spec, inputs, spec.TotalTicks - 1);
        var (_, unrewardedHash, unrewardedWeights) = SingleEngine.WithInputs(spec, [], spec.TotalTicks - 1);
        Assert.Equal([3.0, 12.0], unrewardedWeights.Distinct().Order()); // without a reward R-STDP changes nothing
        Assert.NotEqual(unrewardedWeights, weights); // the rewards moved the weights...
        Assert.NotEqual(unrewardedHash, hash); // ...and so the actuators' spikes

        foreach (var silos in new[] { 1, 2 })
        {
            var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>($"lockstep-reward-{silos}");
            await run.Deploy(spec.ToJson(), silos);
            foreach (var t in ticks)
            {
                await run.Step(t - (await run.GetStatus()).Tick);

                // The same reward two ways: to the population by name, and as a global reward (the actuators are the only
                // population with R-STDP synapses onto it).
                await (silos == 1 ? run.Reward(25, "actuators") : run.Reward(25));
            }

            // The weights one tick before the end: a finished run frees its shards and their weights.
            await run.Step(spec.TotalTicks - 1 - (await run.GetStatus()).Tick);
            Assert.Equal(weights, (await run.SampleWeights(100_000)).Weights.Order());
            var status = await run.Step(spec.TotalTicks);
            Assert.Equal((count, hash), (status.Spikes, status.SpikeTrainHash));

            var replay = await run.Replay();
            Assert.Equal(hash, replay.SpikeTrainHash);
            Assert.Equal(ticks.Length + 2, replay.Verified.Count);
        }
    }

    [Fact]
    public async Task A_reward_that_would_change_nothing_or_names_nothing_is_refused_and_nothing_is_scheduled()
    {
        var spec = RewardSpec.Unrewarded();
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-bad-reward");
        await run.Deploy(spec.ToJson(), 2);
        await run.Step(500);

        Assert.Contains("has no population 'motors'; its populations are sensors, useful, noisy, actuators, critic", (await Assert.ThrowsAsync<ArgumentException>(() => run.Reward(1, "motors"))).Message);
        Assert.Contains("Population 'critic' receives no R-STDP synapse, so a reward there would change nothing; rewards go to actuators", (await Assert.ThrowsAsync<ArgumentException>(() => run.Reward(1, "critic"))).Message);
        Assert.Contains("must be a finite number other than 0 (got NaN)", (await Assert.ThrowsAsync<ArgumentException>(() => run.Reward(double.NaN))).Message);
        Assert.Contains("must be a finite number other than 0 (got 0)", (await Assert.ThrowsAsync<ArgumentException>(() => run.Reward(0))).Message);
        Assert.Contains("tick 100 is outside [500, 3000)", (await Assert.ThrowsAsync<ArgumentException>(() => run.Reward(1, tick: 100))).Message);
        var neuron = await Assert.ThrowsAsync<ArgumentException>(() => run.Inject([new(600, 150, 1, SpikeType.Modulatory), new(600, 20, 1, SpikeType.Modulatory)]));
        Assert.Contains("input 1: neuron 20 receives no R-STDP synapse, so a reward there would change nothing; rewards go to actuators (150..199)", neuron.Message);
        Assert.DoesNotContain("input 0", neuron.Message);

        // A run without R-STDP synapses refuses a reward, naming why.
        var cuba = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-bad-reward-cuba");
        await cuba.Deploy(Cuba.ToJson(), 1);
        Assert.Contains("Run 'lockstep-bad-reward-cuba' has no reward-modulated (R-STDP) synapses", (await Assert.ThrowsAsync<ArgumentException>(() => cuba.Reward(1))).Message);

        // Nothing was scheduled: the run ends exactly as one engine without rewards.
        var status = await run.Step(spec.TotalTicks);
        Assert.Equal(SingleEngine.Reference(spec).Hash, status.SpikeTrainHash);
    }

    [Fact]
    public async Task Inputs_in_the_past_for_unknown_neurons_or_not_finite_are_refused_and_nothing_is_scheduled()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-bad-inputs");
        await run.Deploy((ExamplesDirectory.Spec("delta_delays.json") with { Duration = 50 }).ToJson(), 2);
        await run.Step(200);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => run.Inject([new(300, 1, 5), new(150, 1, 5), new(300, 5000, 5), new(300, 1, double.NaN), new(300, 1, 5, SpikeType.Modulatory)]));
        Assert.Contains("input 1: tick 150 is outside [200, 500)", error.Message);
        Assert.Contains("input 2: neuron 5000 is not in the network (0..999)", error.Message);
        Assert.Contains("input 3: the weight must be a finite number", error.Message);
        Assert.Contains("input 4: a modulatory input (a reward) needs reward-modulated (R-STDP) synapses, and run 'lockstep-bad-inputs' has none", error.Message);
        Assert.DoesNotContain("input 0", error.Message);

        // Nothing was scheduled: the run goes on exactly as one engine without inputs.
        var status = await run.Step(300);
        Assert.Equal(SingleEngine.Reference(ExamplesDirectory.Spec("delta_delays.json") with { Duration = 50 }).Hash, status.SpikeTrainHash);
    }

    [Fact]
    public async Task Bad_client_input_is_rejected_with_clear_errors()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("lockstep-bad-input");
        Assert.Contains("no spec is deployed", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Step(10))).Message);

        var invalid = await Assert.ThrowsAsync<ArgumentException>(() => run.Deploy("{\"dt\": -1, \"duration\": 10}"));
        Assert.Contains("The spec is invalid", invalid.Message);

        // A whole second of CUBA on three silos: a thousand-tick window at a time, so it is still running below.
        await run.Deploy((Cuba with { Duration = 1000 }).ToJson(), 3);
        Assert.Equal(RunPhase.Running, (await run.Start()).Phase);
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Deploy(Cuba.ToJson()));
        Assert.Contains("already has a spec", second.Message);
        Assert.Contains("running in the background", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Step(5))).Message);
        await run.Stop();
    }
}
