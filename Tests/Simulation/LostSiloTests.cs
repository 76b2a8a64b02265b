using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Hosting;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;

namespace NeuroMesh.Tests.Simulation;

/// <summary>
/// A lockstep run that loses a silo is placed again on the silos that remain, rebuilt from its log, and finishes exactly;
/// a started run whose grain goes carries on from its log in the next activation.
/// </summary>
public sealed class LostSiloTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-lost-silo-").FullName;

    [Theory]
    [InlineData("Streams")]
    [InlineData("Calls")]
    public async Task A_run_that_loses_a_silo_continues_on_the_others_with_the_single_engine_hash(string transport)
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 300 };
        var expected = SingleEngine.Reference(spec);

        await using var cluster = await EmbeddedCluster.StartAsync(3, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, $"log-{transport}.db"),
            ["NeuroMesh:Cluster:LockstepTransport"] = transport,
            ["NeuroMesh:Cluster:WindowTimeoutSeconds"] = "10",
        }, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("lost-silo");
        await run.Deploy(spec.ToJson(), 3);
        await run.Step(1000);
        Assert.Equal(3, (await run.GetStatus()).Silos);

        var activation = (await run.GetStatus()).Activation;
        await cluster.StopSiloAsync(2);

        // The step after the loss drops its window, places the run on the two silos left and rebuilds it from its log,
        // checkpoint by checkpoint, before it goes on (a recovery). Should the run's grain itself be rebuilt instead (a new
        // activation), a step may fail and the next call rebuilds the run.
        var (status, failures) = await RunSteps.ToEndThroughLossAsync(run);

        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(2, status.Silos);
        if (status.Activation == activation)
        {
            Assert.Equal((0, 1), (failures, status.Recoveries));
        }
        else
        {
            output.WriteLine($"the run's grain was rebuilt ({activation} -> {status.Activation}); {failures} step(s) failed");
        }

        var shards = await run.GetShards();
        Assert.Equal(2, shards.Select(s => s.Silo).Distinct().Count());
        Assert.Equal(shards.Sum(s => s.SpikesSent), shards.Sum(s => s.SpikesReceived + s.SpikesPending));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_started_CUBA_run_that_loses_a_silo_recovers_by_itself_with_the_unfailed_hash(int silos)
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 300 };
        var expected = SingleEngine.Reference(spec);

        await using var cluster = await EmbeddedCluster.StartAsync(silos, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, $"cuba-{silos}.db"),
            ["NeuroMesh:Cluster:LockstepTransport"] = "Calls",
            ["NeuroMesh:Cluster:WindowTimeoutSeconds"] = "30",
        }, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>($"cuba-lost-{silos}");
        await run.Deploy(spec.ToJson(), silos);
        var first = await run.Step(1000);
        Assert.Equal((silos, 0), (first.Silos, first.Recoveries));
        await KeepOnPrimary(cluster, run); // so that what is tested is the run recovering, not the run's grain being rebuilt
        Assert.Equal(silos, (await run.Place()).Silos); // a moved grain released its shards: place them again, on every silo

        // The silo goes while the run is placed on it; the run is then started and must recover without another call:
        // drop the window, place again on the silos left, replay to the checkpoint of tick 1000, go on to the end.
        var activation = (await run.GetStatus()).Activation;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cluster.StopSiloAsync(silos - 1);
        var stopped = clock.Elapsed;
        await run.Start();
        var status = await Eventually.Until(run.GetStatus, s => s.Phase != RunPhase.Running, "the started run to end", TimeSpan.FromSeconds(120));
        output.WriteLine($"CUBA {silos} -> {silos - 1} silos: silo stopped and seen inactive by the primary in {stopped.TotalSeconds:0.00} s; recovery (re-place, replay 1000 ticks) plus the remaining 2000 ticks took {(clock.Elapsed - stopped).TotalSeconds:0.00} s; {status.Spikes} spikes, hash {status.SpikeTrainHash[..16]}");

        Assert.Equal(RunPhase.Finished, status.Phase);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(silos - 1, status.Silos);

        // The same activation must have recovered by itself, once. A new activation (the run's grain rebuilt from its log
        // and placed afresh, which a silo leaving can cause) recovers nothing itself; it is reported, not failed.
        Assert.InRange(status.Recoveries, 0, 1);
        if (status.Activation == activation)
        {
            Assert.Equal(1, status.Recoveries);
        }
        else
        {
            output.WriteLine($"the run's grain was rebuilt ({activation} -> {status.Activation}), so its recovery was a rebuild");
        }
        var shards = await run.GetShards();
        Assert.Equal(silos - 1, shards.Select(s => s.Silo).Distinct().Count());
        Assert.Equal(shards.Sum(s => s.SpikesSent), shards.Sum(s => s.SpikesReceived + s.SpikesPending));
    }

    [Fact]
    public async Task A_silo_lost_while_a_started_run_is_running_rolls_it_back_mid_run_and_it_finishes_with_the_unfailed_hash()
    {
        // 10,000 ticks, so that the run is still far from its end when the silo goes (the primary sees it leave as its
        // stop begins; the graceful stop itself may take its whole 10 s while a window is in flight there).
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 1000 };
        var expected = SingleEngine.Reference(spec);

        await using var cluster = await EmbeddedCluster.StartAsync(3, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "cuba-running.db"),
            ["NeuroMesh:Cluster:WindowTimeoutSeconds"] = "30",
        }, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("cuba-lost-running");
        await run.Deploy(spec.ToJson(), 3);
        await KeepOnPrimary(cluster, run);
        Assert.Equal(3, (await run.Place()).Silos);
        var victim = cluster.Services[2].GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

        // The silo goes while the run is running in the background (its default Streams transport), two checkpoints in.
        await run.Start();
        var running = await Eventually.Until(run.GetStatus, s => s.Tick >= 2 * SimulationGrain.Window || s.Phase != RunPhase.Running, "the started run's second checkpoint", TimeSpan.FromSeconds(120));
        Assert.Equal(RunPhase.Running, running.Phase);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cluster.StopSiloAsync(2);
        var stopped = clock.Elapsed;
        var status = await Eventually.Until(run.GetStatus, s => s.Phase != RunPhase.Running, "the started run to end", TimeSpan.FromSeconds(180));
        output.WriteLine($"CUBA 3 -> 2 silos at tick {running.Tick} of {running.TotalTicks}, silo stopped in {stopped.TotalSeconds:0.00} s; the run ended {(clock.Elapsed - stopped).TotalSeconds:0.00} s later; recoveries: {string.Join("; ", status.RecoveryHistory.Select(r => $"tick {r.Tick}: {r.Reason}"))}");

        Assert.Equal(RunPhase.Finished, status.Phase);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(2, status.Silos);
        if (status.Activation == running.Activation)
        {
            // Rolled back once, to a checkpoint the run reached at or after the tick seen before the stop and before its end.
            var recovery = Assert.Single(status.RecoveryHistory);
            Assert.Equal(1, status.Recoveries);
            Assert.InRange(recovery.Tick, running.Tick, status.TotalTicks - 1);
            Assert.Equal(0, recovery.Tick % SimulationGrain.Window);
            Assert.Equal([victim], recovery.LostSilos);
        }
        else
        {
            // Its grain went too (its directory entry was on the stopped silo): the next activation carried on from the log.
            output.WriteLine($"the run's grain was rebuilt ({running.Activation} -> {status.Activation}) and carried on from its log");
        }
    }

    [Fact]
    public async Task A_started_run_whose_grain_goes_carries_on_by_itself_from_its_log()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 600 };
        var expected = SingleEngine.Reference(spec);

        await using var cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "cuba-resume.db"),
        }, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("cuba-resume");
        await run.Deploy(spec.ToJson(), 2);
        await run.Start();
        var running = await Eventually.Until(run.GetStatus, s => s.Tick >= SimulationGrain.Window || s.Phase != RunPhase.Running, "the started run's first checkpoint", TimeSpan.FromSeconds(120));
        Assert.Equal(RunPhase.Running, running.Phase);

        // Its activation goes (as when its grain directory entry leaves with a silo, or it is moved). From here the test does
        // not call the run until its log shows it advancing again: only the run itself can append those checkpoints.
        var store = cluster.Services[0].GetRequiredService<NeuroMesh.Persistence.IDeltaLogStore>();
        var stream = run.GetGrainId().ToString();
        await run.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var before = (await store.GetStreamAsync(stream))!.Version;
        await Eventually.Until( // 3 of the 4 or 5 checkpoints left
            async () => (await store.GetStreamAsync(stream))!.Version,
            version => version >= before + 3,
            $"the run's log to advance 3 versions past {before} (the version when it was asked to deactivate) by itself",
            TimeSpan.FromSeconds(120));

        var status = await Eventually.Until(run.GetStatus, s => s.Phase != RunPhase.Running, "the resumed run to end", TimeSpan.FromSeconds(180));
        Assert.Equal(RunPhase.Finished, status.Phase);
        Assert.NotEqual(running.Activation, status.Activation);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(0, status.Recoveries);
    }

    /// <summary>Migrates the run's grain to the primary silo (which is never the one stopped) if it is elsewhere.</summary>
    private static Task KeepOnPrimary(EmbeddedCluster cluster, ISimulationGrain run)
        => MoveTo(cluster.Grains, run, cluster.Services[0].GetRequiredService<ILocalSiloDetails>().SiloAddress);

    /// <summary>Migrates the run's grain to <paramref name="silo"/> (placement hint, then a move when idle) until it is there.</summary>
    internal static async Task MoveTo(IGrainFactory grains, ISimulationGrain run, SiloAddress silo)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 0; !silo.Equals(await management.GetActivationAddress(run)); attempt++)
        {
            Assert.True(attempt < 20, $"the run's grain did not move to silo {silo}");
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            await run.Cast<IGrainManagementExtension>().MigrateOnIdle();
            RequestContext.Clear();
            await Task.Delay(100);
            await run.GetStatus();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
