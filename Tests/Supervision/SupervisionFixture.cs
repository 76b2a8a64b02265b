using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Hosting;
using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Regions;
using NeuroMesh.Supervision;
using NeuroMesh.Tests.Neurons;
using Orleans.Core.Internal;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Supervision;

/// <summary>One in-process silo wired by AddNeuroMesh (with the test behaviours) for supervisors over real neuron grains.</summary>
public class SupervisionFixture : IAsyncLifetime
{
    private static readonly string RunId = Guid.NewGuid().ToString("N");

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The silo's delta-log store (the fault-injecting one in <see cref="FaultySupervisionFixture"/>).</summary>
    public IDeltaLogStore Store => (Cluster.Primary as InProcessSiloHandle)!.ServiceProvider.GetRequiredService<IDeltaLogStore>();

    protected virtual string Name => "plain";

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["db"] = Path.Combine(Path.GetTempPath(), $"neuromesh-sup-{Name}-{RunId}.db");
        builder.Properties["faulty"] = Name == "faulty" ? "1" : "0";
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Task DisposeAsync() => TestClusters.StopAndDeleteAsync(Cluster, $"neuromesh-sup-{Name}-{RunId}.db*");

    /// <summary>A supervisor with <paramref name="config"/> over <paramref name="count"/> fresh neurons (ids from <paramref name="firstId"/>), in start order.</summary>
    public async Task<(ISupervisorGrain Supervisor, uint[] Neurons)> Tree(string id, uint firstId, int count, SupervisorConfig config, string? behaviour = null)
    {
        var supervisor = Grains.GetGrain<ISupervisorGrain>(id);
        await supervisor.Configure(config);
        var ids = Enumerable.Range(0, count).Select(i => firstId + (uint)i).ToArray();
        foreach (var neuron in ids)
        {
            await Grains.GetGrain<INeuronGrain>(neuron).Configure(new NeuronConfig { Region = RegionPath.Parse($"sup/{id}") });
            if (behaviour is not null)
            {
                await Grains.GetGrain<INeuronGrain>(neuron).BindBehaviour(behaviour);
            }

            await supervisor.AddChild(ChildRef.Neuron(neuron));
        }

        return (supervisor, ids);
    }

    /// <summary>The activation id of each neuron: it changes exactly when the neuron was deactivated and activated again.</summary>
    public async Task<string[]> Activations(IEnumerable<uint> neurons)
        => await Task.WhenAll(neurons.Select(async n => (await Grains.GetGrain<INeuronGrain>(n).GetActivity()).Activation));

    /// <summary>Deactivates a grain, as a crash of its activation would (its next call rebuilds it from its log).</summary>
    public async Task Deactivate(IAddressable grain) => await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

    /// <summary>A configuration with no timer (the tests drive failures) and a 1 ms backoff without jitter.</summary>
    public static SupervisorConfig Quiet(SupervisionStrategy strategy) => new()
    {
        Strategy = strategy,
        MaxRestarts = 100,
        WithinSeconds = 60,
        HealthCheckPeriodMs = 0,
        BackoffBaseMs = 1,
        BackoffMaxMs = 1,
        Jitter = 0,
    };

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:DeltaLog:Path"] = configuration["db"],
            }).Build();
            siloBuilder.AddNeuroMesh(settings);
            TestBehaviours.Register(siloBuilder);
            if (configuration["faulty"] == "1")
            {
                // Every write may fail before it lands or lose its acknowledgement after it landed; DeltaLogGrain retries both with the same batch.
                siloBuilder.Services.AddSingleton<IDeltaLogStore>(_ => new FaultInjectingDeltaLogStore(
                    new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = configuration["db"]! }),
                    new DeltaLogFaultOptions { FailureBeforeWrite = 0.2, FailureAfterWrite = 0.2, Seed = 11 }));
            }
        }
    }
}

/// <summary>The same silo over a delta log that fails 20% of writes before they land and loses 20% of acknowledgements.</summary>
public sealed class FaultySupervisionFixture : SupervisionFixture
{
    protected override string Name => "faulty";
}
