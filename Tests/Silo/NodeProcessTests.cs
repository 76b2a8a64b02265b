using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Silo;

/// <summary>The long-running node as real processes: health endpoints, and two nodes forming one cluster a client runs a spec on.</summary>
public sealed class NodeProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-node-").FullName;

    [Fact]
    public async Task Two_node_processes_form_one_cluster_report_ready_and_run_a_spec_across_both()
    {
        var cluster = $"node-test-{Guid.NewGuid():N}";
        await using var primary = await NodeProcess.StartAsync(Settings(cluster, "a"), TimeSpan.FromSeconds(90));
        await using var secondary = await NodeProcess.StartAsync(Settings(cluster, "b"), TimeSpan.FromSeconds(90), primary);

        Assert.Equal((200, "live\n"), await primary.GetAsync("health/live"));
        var ready = await secondary.GetAsync("health/ready");
        Assert.Equal(200, ready.Status);
        Assert.StartsWith($"ready S127.0.0.1:{secondary.SiloPort}:", ready.Body, StringComparison.Ordinal);

        using var host = await TestClients.StartAsync(cluster, [$"127.0.0.1:{primary.GatewayPort}", $"127.0.0.1:{secondary.GatewayPort}"]);
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 100 };
        using var engine = new NeuroMesh.Engine.Cpu.CpuEngine(spec, new NeuroMesh.Engine.EngineOptions { Threads = 1 });
        var expected = engine.Run(spec.TotalTicks);

        var run = host.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>("two-nodes");
        await run.Deploy(spec.ToJson(), 2);
        var status = await run.Step(spec.TotalTicks);
        Assert.Equal(2, status.Silos);
        Assert.Equal(expected.SpikeTrainHash, status.SpikeTrainHash);
        var shards = await run.GetShards();
        Assert.Equal(2, shards.Select(s => s.Silo).Distinct().Count());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_node_with_an_invalid_clustering_setting_exits_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeProcess.StartAsync(
            new Dictionary<string, string> { ["NeuroMesh:Clustering:PrimarySiloEndpoint"] = "nowhere", ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "bad.db") },
            TimeSpan.FromSeconds(90)));
        Assert.Contains("NeuroMesh:Clustering:PrimarySiloEndpoint must be an IP endpoint", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Settings(string cluster, string name) => new()
    {
        ["NeuroMesh:Clustering:ClusterId"] = cluster,
        ["NeuroMesh:Clustering:ServiceId"] = cluster,
        ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, $"{name}.db"),
    };
}
