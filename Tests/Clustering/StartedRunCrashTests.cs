using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Persistence;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Silo;
using NeuroMesh.Tests.Simulation;
using Xunit.Abstractions;

namespace NeuroMesh.Tests.Clustering;

/// <summary>
/// A started run whose grain lives on a silo that is killed (SIGKILL: no deactivation, nothing hands the run on) carries
/// on by itself: once the silo is declared dead, the oldest survivor calls every run on the started-runs list, the run's
/// next activation finds its log started and carries on from its last checkpoint, and it finishes with the unfailed hash.
/// </summary>
public sealed class StartedRunCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-run-crash-").FullName;

    [Fact]
    public async Task A_started_run_whose_silo_is_killed_carries_on_without_being_called()
    {
        // 10,000 ticks held to a tenth of real time (10 s), so that the kill comes well before the end.
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 1000 };
        var expected = SingleEngine.Reference(spec);
        var cluster = $"run-crash-{Guid.NewGuid():N}";
        var log = Path.Combine(_dir, "shared.db");
        var settings = new Dictionary<string, string>
        {
            ["NeuroMesh:Clustering:ClusterId"] = cluster,
            ["NeuroMesh:Clustering:ServiceId"] = cluster,
            ["NeuroMesh:DeltaLog:Path"] = log,
        };
        await using var primary = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120));
        await using var victim = await NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(120), primary);
        using var client = await TestClients.StartAsync(cluster, [$"127.0.0.1:{primary.GatewayPort}", $"127.0.0.1:{victim.GatewayPort}"]);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = (await Eventually.Until(Retried(() => management.GetHosts(onlyActive: true)), h => h is { Count: 2 }, "both silos active", TimeSpan.FromSeconds(120)))!;
        var victimSilo = hosts.Keys.Single(s => s.Endpoint.Port == victim.SiloPort);

        var run = grains.GetGrain<ISimulationGrain>("crash-started");
        await run.Deploy(spec.ToJson(), 2);
        await LostSiloTests.MoveTo(grains, run, victimSilo);

        await run.Start(pace: 0.1);
        var running = (await Eventually.Until(
            Retried(run.GetStatus), s => s is not null && (s.Tick >= SimulationGrain.Window || s.Phase != RunPhase.Running), "the started run's first checkpoint", TimeSpan.FromSeconds(120)))!;
        Assert.Equal(RunPhase.Running, running.Phase);
        Assert.Equal(victimSilo, await management.GetActivationAddress(run));

        // From the kill on, the test does not call the run until its log shows it advancing again: only the run can append
        // those checkpoints, and only a call can activate it.
        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = log });
        var stream = run.GetGrainId().ToString();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        victim.Kill();
        var before = (await store.GetStreamAsync(stream))!.Version;
        await Eventually.Until(
            async () => (await store.GetStreamAsync(stream))!.Version,
            version => version >= before + 2,
            $"the run's log to advance 2 versions past {before} (the version at the kill) by itself: only a woken run appends",
            TimeSpan.FromSeconds(120));

        var resumed = clock.Elapsed;
        var status = (await Eventually.Until(Retried(run.GetStatus), s => s is not null && s.Phase != RunPhase.Running, "the resumed run to end", TimeSpan.FromSeconds(180)))!;
        output.WriteLine($"killed at tick {running.Tick} or later; the log advanced 2 versions {resumed.TotalSeconds:0.0} s after the kill (death detection, a wake-up, re-placement and replay included); finished {clock.Elapsed.TotalSeconds:0.0} s after it");
        Assert.Equal(RunPhase.Finished, status.Phase);
        Assert.NotEqual(running.Activation, status.Activation);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(1, status.Silos);

        // Finished, so it goes off the list the next silo loss would wake (once its background run has freed its shards).
        await Eventually.Until(Retried(grains.GetGrain<IStartedRunsGrain>(0).List), runs => runs is not null && !runs.Contains("crash-started"), "the finished run to go off the started-runs list");
        await client.StopAsync();
    }

    /// <summary><paramref name="read"/>, answering null for a call cut by the kill or routed to the dead silo before it is declared dead (so the wait asks again).</summary>
    private static Func<Task<T?>> Retried<T>(Func<Task<T>> read)
        where T : class
        => async () =>
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return null;
            }
        };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
