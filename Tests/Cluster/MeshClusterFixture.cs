using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Cluster;

/// <summary>
/// Three in-process silos wired by AddNeuroMesh, with a small mesh window (so overload is easy to reach) and a
/// <see cref="RecordingConsumer"/> attached to every silo's mesh ingress.
/// </summary>
public sealed class MeshClusterFixture : IAsyncLifetime
{
    public const int MaxBatchSpikes = 256;
    public const int MaxBatchesInFlight = 8;
    public const int OutboxSpikes = 4096;

    private static readonly string DatabasePath = Path.Combine(Path.GetTempPath(), $"neuromesh-mesh-{Guid.NewGuid():N}.db");
    private readonly List<IDisposable> _attachments = [];

    public TestCluster Cluster { get; private set; } = null!;

    internal IReadOnlyList<MeshSilo> Silos { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Silos = [.. Cluster.Silos.Cast<InProcessSiloHandle>().Select(h => new MeshSilo(h.SiloAddress, h.ServiceProvider))];
        foreach (var silo in Silos)
        {
            _attachments.Add(silo.Ingress.Attach(silo.Consumer));
        }

        await WarmUp();
    }

    /// <summary>
    /// Sends a little traffic on every lane until a round loses nothing: right after silos join, the stream queues are
    /// rebalanced between their pulling agents, and a memory queue that moves loses what its old agent had cached (the
    /// outbox counts that as lost). Tests then start on a settled cluster. Sources 1..6 are the warm-up's.
    /// </summary>
    private async Task WarmUp()
    {
        var lanes = (from a in Silos from b in Silos where a != b select (From: a, To: b)).ToArray();
        for (var round = 0; round < 20; round++)
        {
            var lostBefore = lanes.Sum(l => l.From.Outbox.Counters(l.To.Address).DroppedLost);
            for (var i = 0; i < lanes.Length; i++)
            {
                await lanes[i].From.Outbox.SendAsync(lanes[i].To.Address, MeshSpikes.Make((uint)(i + 1), round * 500, 500));
            }

            await Eventually.True(() => lanes.All(l => l.From.Outbox.Counters(l.To.Address).InFlight == 0), "the warm-up traffic has arrived or been counted lost");
            if (lanes.Sum(l => l.From.Outbox.Counters(l.To.Address).DroppedLost) == lostBefore)
            {
                return;
            }
        }

        throw new InvalidOperationException("mesh traffic was still being lost after 20 warm-up rounds");
    }

    public async Task DisposeAsync()
    {
        _attachments.ForEach(a => a.Dispose());
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
                ["NeuroMesh:Cluster:MaxBatchSpikes"] = $"{MaxBatchSpikes}",
                ["NeuroMesh:Cluster:MaxBatchesInFlight"] = $"{MaxBatchesInFlight}",
                ["NeuroMesh:Cluster:OutboxSpikes"] = $"{OutboxSpikes}",
            }).Build();
            siloBuilder.AddNeuroMesh(configuration);
        }
    }
}

/// <summary>One silo of the fixture, with its mesh services.</summary>
internal sealed class MeshSilo(SiloAddress address, IServiceProvider services)
{
    public SiloAddress Address { get; } = address;

    public SiloOutbox Outbox { get; } = services.GetRequiredService<SiloOutbox>();

    public MeshIngress Ingress { get; } = services.GetRequiredService<MeshIngress>();

    public RecordingConsumer Consumer { get; } = new();

    public IServiceProvider Services { get; } = services;
}

[CollectionDefinition(Name)]
public sealed class MeshClusterCollection : ICollectionFixture<MeshClusterFixture>
{
    public const string Name = "mesh-cluster";
}
