using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Persistence;

namespace NeuroMesh.Tests.Deploy;

/// <summary>
/// deploy/local-cluster.sh brings up the compose topology as processes (3 silos clustered through PostgreSQL, PostgreSQL
/// delta logs, Prometheus); the neuromesh CLI deploys and runs CUBA on all three silos, which give the single-engine spike
/// train, and Prometheus sees three silos tick.
/// </summary>
public sealed class LocalClusterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"neuromesh-local-{Guid.NewGuid():N}");

    private static string Script => Path.Combine(ExamplesDirectory.Root(), "deploy", "local-cluster.sh");

    [SkippableFact]
    public async Task The_local_cluster_clustered_on_postgres_runs_CUBA_deployed_by_the_CLI_on_all_three_silos_and_prometheus_sees_them()
    {
        var postgres = TestPostgres.ConnectionString();
        var prometheus = TestTools.Find("NEUROMESH_TEST_PROMETHEUS", "prometheus");
        var (code, output) = TestTools.Run("bash", [Script, "up", "--dir", _dir, "--clustering", "postgres"], ExamplesDirectory.Root(), TimeSpan.FromMinutes(6), new Dictionary<string, string>
        {
            ["NEUROMESH_SILO_DLL"] = Path.Combine(AppContext.BaseDirectory, "NeuroMesh.Silo.dll"),
            ["NEUROMESH_LOCAL_POSTGRES"] = postgres,
            ["PROMETHEUS"] = prometheus,
        });
        Assert.True(code == 0, $"local-cluster.sh up failed ({code}):\n{output}");
        Assert.Contains("silo 3 ready", output, StringComparison.Ordinal);
        var env = File.ReadAllLines(Path.Combine(_dir, "cluster.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('\''));
        var gateways = env["GATEWAYS"].Split(',');
        Assert.Equal(3, gateways.Length);

        using var host = await NeuroMesh.Tests.Silo.TestClients.StartAsync(env["CLUSTER_ID"], gateways);
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 50 };
        using var engine = new NeuroMesh.Engine.Cpu.CpuEngine(spec, new NeuroMesh.Engine.EngineOptions { Threads = 1 });
        var expected = engine.Run(spec.TotalTicks);
        // Deployed and run through the neuromesh CLI, as an operator would.
        var runId = $"cuba-local-{Guid.NewGuid():N}";
        var specFile = Path.Combine(_dir, "cuba-50ms.json");
        File.WriteAllText(specFile, spec.ToJson());
        string[] target = [.. gateways.SelectMany(g => new[] { "--gateway", g }), "--cluster-id", env["CLUSTER_ID"], "--service-id", env["CLUSTER_ID"]];
        foreach (var command in new[] { new[] { "deploy", specFile, "--run", runId, "--silos", "3" }, new[] { "run", runId } })
        {
            using var cliOut = new StringWriter();
            using var cliErr = new StringWriter();
            var exit = await NeuroMesh.Cli.NeuroMeshCli.RunAsync([.. command, .. target], cliOut, cliErr);
            Assert.True(exit == 0, $"neuromesh {command[0]} exited {exit}: {cliErr}\n{cliOut}");
        }

        var run = host.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>(runId);
        var status = await run.GetStatus();
        Assert.Equal(RunPhase.Finished, status.Phase);
        var shards = await run.GetShards();
        Assert.Equal(3, status.Silos);
        Assert.Equal(3, shards.Select(s => s.Silo).Distinct().Count());
        Assert.All(shards, s => Assert.True(s.SpikesSent > 0, $"shard {s.Index} on {s.Silo} sent no spikes"));
        Assert.Equal(expected.SpikeTrainHash, status.SpikeTrainHash);
        await host.StopAsync();

        // Prometheus scrapes all three silos, and each one simulated the whole run.
        using var http = new HttpClient { BaseAddress = new Uri(env["PROMETHEUS_URL"] + "/") };
        await TestTools.QueryPrometheusUntilAsync(
            http,
            "neuromesh_simulation_ticks_total",
            result =>
            {
                var ticks = result.EnumerateArray().Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)).ToArray();
                return ticks.Length == 3 && ticks.All(t => t >= spec.TotalTicks);
            },
            $"did not see three silos tick {spec.TotalTicks}");
    }

    public void Dispose()
    {
        TestTools.Run("bash", [Script, "down", "--dir", _dir], ExamplesDirectory.Root());
    }
}
