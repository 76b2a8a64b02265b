using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Hosting;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Agents;

/// <summary>
/// Two in-process silos wired by AddNeuroMesh with one shared delta log and no WebAssembly module registered on them: every
/// module the tests run is deployed at run time, by hash. A C# sink records what counters broadcast.
/// </summary>
public sealed class WasmDeployClusterFixture : IAsyncLifetime
{
    public const string Sink = "wasm.deploy.sink";

    private readonly string _runId = Guid.NewGuid().ToString("N");

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.Properties["db"] = Path.Combine(Path.GetTempPath(), $"neuromesh-wasm-deploy-{_runId}.db");
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Task DisposeAsync() => TestClusters.StopAndDeleteAsync(Cluster, $"neuromesh-wasm-deploy-{_runId}.db*");

    /// <summary>The silos that are running now, in start order.</summary>
    public InProcessSiloHandle[] Silos => [.. Cluster.Silos.Cast<InProcessSiloHandle>()];

    /// <summary>The WebAssembly host of <paramref name="silo"/>.</summary>
    public static WasmRuntime RuntimeOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<WasmRuntime>();

    /// <summary>A region under <paramref name="prefix"/> that the agent meshes route to <paramref name="home"/> among <paramref name="silos"/> (and that passes <paramref name="also"/>).</summary>
    public static RegionPath RegionOn(string prefix, SiloAddress home, SiloAddress[] silos, Func<RegionPath, bool>? also = null)
    {
        for (var i = 0; i < 1000; i++)
        {
            var region = RegionPath.Parse($"{prefix}/r{i}");
            if (RendezvousHash.Pick(region, silos).Equals(home) && (also?.Invoke(region) ?? true))
            {
                return region;
            }
        }

        throw new InvalidOperationException($"no region of {prefix}/r0..r999 hashed to {home}");
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:DeltaLog:Path"] = siloBuilder.Configuration["db"],
                ["NeuroMesh:Cluster:MeshTransport"] = "Calls",
            }).Build();
            siloBuilder.AddNeuroMesh(settings).AddNeuronBehaviour<WasmClusterFixture.SinkBehaviour>(Sink);

            // A killed silo is declared dead after about two missed one-second probes.
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        }
    }
}
