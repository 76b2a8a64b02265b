using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Persistence;
using NeuroMesh.Simulation;
using NeuroMesh.Simulation.Events;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Persistence;
using Orleans.Serialization;

namespace NeuroMesh.Tests.Simulation;

/// <summary>Simulation runs on a real in-process silo, logged in SQLite, rebuilt by replay.</summary>
[Collection(SiloCollection.Name)]
public sealed class SimulationGrainTests(DeltaLogClusterFixture fixture)
{
    private static readonly NetworkSpec Spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 150 };

    [Fact]
    public async Task Steps_in_segments_give_the_hash_of_one_uninterrupted_run()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("segments");
        var deployed = await run.Deploy(Spec.ToJson());
        Assert.Equal(RunPhase.Deployed, deployed.Phase);
        Assert.Equal(1500, deployed.TotalTicks);

        await run.Step(300);
        var status = await run.Step(700);

        Assert.Equal(RunPhase.Paused, status.Phase);
        Assert.Equal(1000, status.Tick);
        Assert.Equal(2, status.Checkpoints);
        Assert.Equal(Reference(1000), (status.Spikes, status.SpikeTrainHash));
    }

    [Fact]
    public async Task A_run_is_rebuilt_from_its_log_by_replay_and_continues_exactly()
    {
        // The log of a run that reached tick 800 on another silo: its grain has never been active here.
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("replay-continue");
        var (spikes, hash) = Reference(800);
        await WriteLog(run, new SpecDeployed(Spec.ToJson(), "spec", Spec.Seed, Spec.TotalTicks), new RunCheckpointed(400, Reference(400).Spikes, Reference(400).Hash), new RunCheckpointed(800, spikes, hash));

        Assert.Equal((800, RunPhase.Paused), ((await run.GetStatus()).Tick, (await run.GetStatus()).Phase));
        var status = await run.Step(300);

        Assert.Equal(1100, status.Tick);
        Assert.Equal(Reference(1100), (status.Spikes, status.SpikeTrainHash));
    }

    [Fact]
    public async Task Start_runs_to_the_end_in_the_background_and_stop_ends_the_run()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("background");
        await run.Deploy(Spec.ToJson());
        var started = await run.Start();
        Assert.Contains(started.Phase, new[] { RunPhase.Running, RunPhase.Finished });

        var status = await Eventually.Until(run.GetStatus, s => s.Phase != RunPhase.Running, "the started run to end");
        Assert.Equal(RunPhase.Finished, status.Phase);
        Assert.Equal(2, status.Checkpoints);
        Assert.Equal(Reference(1500), (status.Spikes, status.SpikeTrainHash));
        Assert.Contains("whole duration", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Step(1))).Message);

        Assert.Equal(RunPhase.Stopped, (await run.Stop()).Phase);
    }

    [Fact]
    public async Task A_started_run_is_on_the_started_runs_list_until_it_pauses_or_stops()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("listed");
        var list = fixture.Cluster.GrainFactory.GetGrain<IStartedRunsGrain>(0);
        await run.Deploy(Spec.ToJson());
        Assert.DoesNotContain("listed", await list.List());

        // Held to a hundredth of real time (15 s for the whole run), so it is still running while the list is read.
        Assert.Equal(RunPhase.Running, (await run.Start(pace: 0.01)).Phase);
        Assert.Contains("listed", await list.List());
        Assert.Contains((await run.Pause()).Phase, new[] { RunPhase.Paused, RunPhase.Deployed }); // Deployed: paused before its first slice
        Assert.DoesNotContain("listed", await list.List());

        await run.Start(pace: 0.01);
        Assert.Contains("listed", await list.List());
        Assert.Equal(RunPhase.Stopped, (await run.Stop()).Phase);
        Assert.DoesNotContain("listed", await list.List());
    }

    [Fact]
    public async Task A_tampered_checkpoint_makes_replay_fail_loudly_at_that_checkpoint()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("tampered");
        var (spikes, hash) = Reference(200);
        await WriteLog(run, new SpecDeployed(Spec.ToJson(), "spec", Spec.Seed, Spec.TotalTicks), new RunCheckpointed(200, spikes, hash), new RunCheckpointed(300, spikes + 1, new string('0', 64)));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Step(100));
        Assert.Contains("diverged at the checkpoint of tick 300", e.Message);
        Assert.DoesNotContain("tick 200", e.Message);
    }

    [Fact]
    public async Task Plastic_weight_changes_are_logged_as_exact_per_checkpoint_diffs_and_a_tampered_diff_fails_replay_there()
    {
        var plastic = Spec with
        {
            Projections = [.. Spec.Projections.Select(p => p.Name != "E_all_E" ? p : p with
            {
                Plasticity = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.02, AMinus = 0.024, TauPlus = 15, TauMinus = 20, WMin = 0, WMax = 0.4 },
            })],
        };
        using var engine = new CpuEngine(plastic, new EngineOptions { Threads = 1 });
        var expected = new List<PlasticWeightDiff>();
        for (var i = 0; i < 2; i++)
        {
            engine.Run(500);
            expected.Add(engine.DiffPlasticWeights());
        }

        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("plastic-log");
        await run.Deploy(plastic.ToJson());
        await run.Step(500);
        var status = await run.Step(500);
        // The log holds each epoch's diff, exactly, followed by its checkpoint carrying the diff's digest.
        var logged = await ReadLog(run);
        var diffs = logged.OfType<WeightsChanged>().ToArray();
        var checkpoints = logged.OfType<RunCheckpointed>().ToArray();
        Assert.Equal([500L, 1000L], diffs.Select(d => d.Tick));
        Assert.Equal(expected.Select(d => d.Count), diffs.Select(d => d.Diff.Count));
        Assert.Equal(expected.Sum(d => (long)d.Count), status.WeightChanges);
        Assert.True(status.WeightChanges > 100, $"STDP should move weights ({status.WeightChanges})");
        Assert.Equal(expected.Select(d => d.Digest()), diffs.Select(d => d.Diff.Digest()));
        Assert.Equal(expected[1].Weights, diffs[1].Diff.Weights);
        Assert.Equal(expected.Select(d => d.Digest()), checkpoints.Select(c => c.WeightDiffDigest));

        // The same spikes with a different weight history: replay names the checkpoint and the weights.
        var tampered = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("plastic-tampered");
        await WriteLog(tampered, new SpecDeployed(plastic.ToJson(), "spec", plastic.Seed, plastic.TotalTicks), checkpoints[0], checkpoints[1] with { WeightDiffDigest = new string('0', 64) });
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => tampered.Step(100));
        Assert.Contains("diverged at the checkpoint of tick 1000", e.Message);
        Assert.Contains("plastic weights", e.Message);
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors()
    {
        var run = fixture.Cluster.GrainFactory.GetGrain<ISimulationGrain>("bad");
        Assert.Contains("no spec is deployed", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Step(10))).Message);
        Assert.Contains("$.dt", (await Assert.ThrowsAsync<ArgumentException>(() => run.Deploy((Spec with { Dt = -1 }).ToJson()))).Message);

        await run.Deploy(Spec.ToJson());
        Assert.Contains("already has a spec", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Deploy(Spec.ToJson()))).Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.Step(0));
        await run.Stop();
        Assert.Contains("stopped", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Step(10))).Message);
    }

    private async Task WriteLog(ISimulationGrain run, params SimulationEvent[] events)
    {
        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = DeltaLogClusterFixture.DatabasePath });
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var deltas = events.Select(e => new Delta(e.GetType().Name, serializer.SerializeToArray(e))).ToArray();
        await store.AppendAsync(run.GetGrainId().ToString(), 0, DeltaBatch.Create(deltas));
    }

    private async Task<List<SimulationEvent>> ReadLog(ISimulationGrain run)
    {
        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = DeltaLogClusterFixture.DatabasePath });
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var events = new List<SimulationEvent>();
        await foreach (var record in store.ReadAsync(run.GetGrainId().ToString()))
        {
            events.Add(serializer.Deserialize<SimulationEvent>(record.Payload)!);
        }

        return events;
    }

    private static (long Spikes, string Hash) Reference(long ticks)
    {
        using var engine = new CpuEngine(Spec, new EngineOptions { Threads = 1 });
        var result = engine.Run(ticks);
        return (result.Spikes.Length, result.SpikeTrainHash);
    }
}
