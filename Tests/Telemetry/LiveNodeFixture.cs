using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Telemetry;

/// <summary>
/// One real silo node process that has run a small spec (so its histograms have points), and its <c>/metrics</c> scrape
/// taken after the run. One node serves every class of <see cref="LiveNodeCollection"/>.
/// </summary>
public sealed class LiveNodeFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-live-").FullName;

    public NodeProcess Node { get; private set; } = null!;

    public RunStatus Run { get; private set; } = null!;

    public string Scrape { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var cluster = $"live-{Guid.NewGuid():N}";
        Node = await NodeProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["NeuroMesh:Clustering:ClusterId"] = cluster,
                ["NeuroMesh:Clustering:ServiceId"] = cluster,
                ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db"),
            },
            TimeSpan.FromSeconds(90));
        using var host = await TestClients.StartAsync(cluster, [$"127.0.0.1:{Node.GatewayPort}"]);
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 100 };
        var run = host.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>("live");
        await run.Deploy(spec.ToJson(), 1);
        Run = await run.Step(spec.TotalTicks);
        await host.StopAsync();
        var (status, body) = await Node.GetAsync("metrics");
        Assert.Equal(200, status);
        Scrape = body;
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>The tests that read the one <see cref="LiveNodeFixture"/> node (its scrape, its Prometheus target).</summary>
[CollectionDefinition(Name)]
public sealed class LiveNodeCollection : ICollectionFixture<LiveNodeFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Live node";
}
