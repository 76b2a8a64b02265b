using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Hosting;
using NeuroMesh.Persistence;
using NeuroMesh.Tests.Persistence.Grains;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Persistence;

/// <summary>A real in-process silo with the delta-log provider over SQLite, as AddNeuroMesh wires it.</summary>
public sealed class DeltaLogClusterFixture : IAsyncLifetime
{
    public static readonly string DatabasePath = Path.Combine(Path.GetTempPath(), $"neuromesh-grains-{Guid.NewGuid():N}.db");

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await TestClusters.StopAndDeleteAsync(Cluster, Path.GetFileName(DatabasePath) + "*");
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:DeltaLog:Path"] = DatabasePath,
                ["NeuroMesh:DeltaLog:SnapshotEvery"] = "20",
                ["NeuroMesh:DeltaLog:AgentLogCompactAfter"] = "40",
            }).Build();
            siloBuilder.AddNeuroMesh(configuration);
            Neurons.TestBehaviours.Register(siloBuilder);
        }
    }
}

/// <summary>Every test class that needs the silo shares one cluster and one database, and runs one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<DeltaLogClusterFixture>
{
    public const string Name = "silo";
}

[Collection(SiloCollection.Name)]
public sealed class DeltaLogGrainTests(DeltaLogClusterFixture fixture)
{
    [Fact]
    public async Task Confirmed_events_survive_deactivation_and_are_replayed_from_snapshot_plus_deltas()
    {
        var grain = fixture.Cluster.GrainFactory.GetGrain<ITallyGrain>("replay");
        for (var i = 1; i <= 50; i++)
        {
            await grain.Add(i);
        }

        Assert.Equal((1275, 50, 50), await grain.Read());
        await grain.Deactivate();
        await Task.Delay(200);
        Assert.Equal((1275, 50, 50), await grain.Read());

        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = DeltaLogClusterFixture.DatabasePath });
        var streams = new List<DeltaStreamInfo>();
        await foreach (var stream in store.ListStreamsAsync())
        {
            streams.Add(stream);
        }

        var info = Assert.Single(streams, s => s.StreamId.EndsWith("/replay", StringComparison.Ordinal));
        Assert.Equal(50, info.Version);
        Assert.Equal(40, info.SnapshotVersion);
        var types = new List<string>();
        await foreach (var record in store.ReadAsync(info.StreamId))
        {
            types.Add(record.Type);
        }

        Assert.Equal(50, types.Count);
        Assert.All(types, t => Assert.Equal(nameof(TallyAdded), t));

        // A delta appended behind the grain's back is there when the grain next activates: its state is rebuilt from
        // the log, not kept in memory.
        await grain.Deactivate();
        await Task.Delay(200);
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        await store.AppendAsync(info.StreamId, 50, DeltaBatch.Create(new Delta(nameof(TallyAdded), serializer.SerializeToArray<TallyEvent>(new TallyAdded(1000)))));
        Assert.Equal((2275, 51, 51), await grain.Read());
    }

    [Fact]
    public async Task Each_grain_has_its_own_stream_and_event_types_are_recorded()
    {
        var a = fixture.Cluster.GrainFactory.GetGrain<ITallyGrain>("a");
        var b = fixture.Cluster.GrainFactory.GetGrain<ITallyGrain>("b");
        await a.Add(5);
        await a.Reset();
        await a.Add(2);
        await b.Add(9);
        Assert.Equal((2, 3, 3), await a.Read());
        Assert.Equal((9, 1, 1), await b.Read());

        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = DeltaLogClusterFixture.DatabasePath });
        var stream = (await store.GetStreamAsync(a.GetGrainId().ToString()))!;
        Assert.Equal(3, stream.Version);
        var types = new List<string>();
        await foreach (var record in store.ReadAsync(stream.StreamId))
        {
            types.Add(record.Type);
        }

        Assert.Equal([nameof(TallyAdded), nameof(TallyReset), nameof(TallyAdded)], types);
    }
}
