using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Hosting;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;
using NeuroMesh.Telemetry;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Agents;

/// <summary>Serialises the capacity tests, so that the refusal metric each one reads is its own.</summary>
[CollectionDefinition(Name)]
public sealed class AgentCapacityCollection
{
    public const string Name = "agent-capacity";
}

/// <summary>A silo's agent capacity: small rings per idle agent, churn that leaks nothing, and refusals that name their limit.</summary>
[Collection(AgentCapacityCollection.Name)]
public sealed class AgentCapacityTests
{
    [Fact]
    public void Hosting_10k_agents_three_times_over_leaks_no_fabric_memory_and_an_idle_agent_holds_1_KiB()
    {
        const int agents = 10_000;
        using var fabric = new SpikeFabric(new FabricOptions { Tier = FabricTier.Light, MaxAgents = agents }.ToLayout());
        using var mesh = new SiloAgentMesh(fabric, agents);
        var wholeBlocks = fabric.WholeFreeRingBlocks;
        Assert.Equal(fabric.Layout.RingCount, wholeBlocks);
        for (var round = 0; round < 3; round++)
        {
            for (uint id = 0; id < agents; id++)
            {
                // Each agent sends to the next one, so hosting also wires subscriptions both ways.
                mesh.Host(id, id == 0 ? new BurstBehaviour(200) : new SinkBehaviour(), 0, [id + 1]);
            }

            Assert.Equal(agents, mesh.HostedCount);
            Assert.Equal(agents * 1024L, fabric.LeasedRingBytes);
            Assert.Equal(agents, fabric.LeasedRings);

            // Agent 0 fires 200 spikes in one pass: its ring grows to hold them, and every one is delivered.
            mesh.Cortex.Stimulate(0);
            Assert.True(mesh.Cortex.WaitForIdle(TimeSpan.FromSeconds(20)), "the mesh settles");
            var burst = mesh.Cortex.GetNeuron(0);
            Assert.Equal(200, burst.Counters.Fired);
            Assert.Equal(0, burst.Counters.RefusedAxonFull);
            Assert.Equal(256, burst.Axon.Capacity);
            Assert.Equal(200, mesh.Cortex.GetNeuron(1).Counters.Received);

            for (uint id = 0; id < agents; id++)
            {
                Assert.True(mesh.Leave(id));
            }

            Assert.Equal(0, mesh.HostedCount);
            Assert.Empty(mesh.Cortex.NeuronIds);
            Assert.Equal(0, fabric.LeasedRings);
            Assert.Equal(0, fabric.LeasedRingBytes);
            Assert.Equal(0, fabric.LeasedRingBlocks);
            Assert.Equal(wholeBlocks, fabric.WholeFreeRingBlocks);
            Assert.Equal(0, fabric.Payloads.LiveBlocks);
        }

        Assert.Equal(3 * 4, fabric.RingGrows);
        Assert.True(fabric.PeakLeasedRingBytes <= (agents * 1024L) + (256 * 64 * 2), $"peak {fabric.PeakLeasedRingBytes} bytes");
        var counters = mesh.Cortex.Counters;
        Assert.Equal(0, counters.InFlight);
    }

    [Fact]
    public void At_its_limit_a_silo_refuses_one_more_agent_by_name_counts_it_and_changes_nothing()
    {
        using var refusals = new RefusalListener();
        using var fabric = new SpikeFabric(new FabricOptions { Tier = FabricTier.Light, MaxAgents = 3 }.ToLayout());
        using var mesh = new SiloAgentMesh(fabric, maxAgents: 3);
        for (uint id = 1; id <= 3; id++)
        {
            mesh.Host(id, new RelayBehaviour(), 0, []);
        }

        var bytes = fabric.LeasedRingBytes;
        var e = Assert.Throws<AgentCapacityException>(() => mesh.Host(4, new RelayBehaviour(), 0, [1]));
        Assert.Contains("NeuroMesh:Fabric:MaxAgents = 3", e.Message);
        Assert.Contains("Raise NeuroMesh:Fabric:MaxAgents", e.Message);
        Assert.Contains("neuron 4", e.Message);
        Assert.False(mesh.IsHosted(4));
        Assert.Equal(3, mesh.HostedCount);
        Assert.Equal(bytes, fabric.LeasedRingBytes);
        Assert.Equal((1, 0), mesh.Refusals);
        Assert.Equal(1, refusals.Count("max_agents"));

        // Replacing the behaviour of a hosted agent is not one more agent.
        mesh.Host(2, new RelayBehaviour(), 0, []);
        Assert.True(mesh.Leave(3));
        mesh.Host(4, new RelayBehaviour(), 0, []);
        Assert.True(mesh.IsHosted(4));
        Assert.Equal(1, refusals.Count("max_agents"));
    }

    [Fact]
    public void A_fabric_with_no_free_ring_refuses_an_agent_naming_the_setting_that_sizes_it()
    {
        using var refusals = new RefusalListener();
        using var fabric = new SpikeFabric(FabricLayout.Create(new FabricLayoutOptions { TotalBytes = 1 << 20, RingCount = 1, RingCapacity = 256, MinRingCapacity = 16, PayloadBytes = 65536 }));
        using var mesh = new SiloAgentMesh(fabric, maxAgents: 1000);
        for (uint id = 0; id < 16; id++)
        {
            mesh.Host(id, new RelayBehaviour(), 0, []);
        }

        var e = Assert.Throws<AgentCapacityException>(() => mesh.Host(16, new RelayBehaviour(), 0, []));
        Assert.Contains("no free ring", e.Message);
        Assert.Contains("NeuroMesh:Fabric:MaxAgents", e.Message);
        Assert.False(mesh.IsHosted(16));
        Assert.Equal((0, 1), mesh.Refusals);
        Assert.Equal(1, refusals.Count("fabric_full"));
    }

    /// <summary>Receives and does nothing.</summary>
    private sealed class SinkBehaviour : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron)
        {
        }
    }

    /// <summary>Fires <c>count</c> spikes in one OnFire: more than a 16-slot ring holds.</summary>
    private sealed class BurstBehaviour(int count) : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron)
        {
            for (var i = 0; i < count; i++)
            {
                neuron.Fire();
            }
        }
    }
}

/// <summary>Counts <c>neuromesh.agents.host.refused</c> measurements by reason while it lives.</summary>
internal sealed class RefusalListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counts = new();

    public RefusalListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NeuroMeshTelemetry.Name && instrument.Name == "neuromesh.agents.host.refused")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    _counts.AddOrUpdate((string)tag.Value!, value, (_, v) => v + value);
                }
            }
        });
        _listener.Start();
    }

    public long Count(string reason) => _counts.GetValueOrDefault(reason);

    public void Dispose() => _listener.Dispose();
}

/// <summary>A one-silo cluster whose silo hosts at most two agents.</summary>
public sealed class TwoAgentSiloFixture : IAsyncLifetime
{
    public static readonly string DatabasePath = Path.Combine(Path.GetTempPath(), $"neuromesh-capacity-{Guid.NewGuid():N}.db");

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Task DisposeAsync() => TestClusters.StopAndDeleteAsync(Cluster, Path.GetFileName(DatabasePath) + "*");

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:Fabric:MaxAgents"] = "2",
                ["NeuroMesh:DeltaLog:Path"] = DatabasePath,
            }).Build();
            siloBuilder.AddNeuroMesh(configuration);
        }
    }
}

/// <summary>Binding a behaviour on a silo at capacity: the caller gets the error, and the neuron keeps what it had.</summary>
[Collection(AgentCapacityCollection.Name)]
public sealed class AgentCapacityGrainTests(TwoAgentSiloFixture fixture) : IClassFixture<TwoAgentSiloFixture>
{
    [Fact]
    public async Task Binding_a_third_agent_on_a_two_agent_silo_fails_to_the_caller_and_binds_nothing()
    {
        using var refusals = new RefusalListener();
        var grains = fixture.Cluster.GrainFactory;
        var region = new NeuronConfig { Region = RegionPath.Parse("capacity/a") };
        var neurons = Enumerable.Range(1, 3).Select(i => grains.GetGrain<INeuronGrain>(7000 + i)).ToArray();
        foreach (var neuron in neurons)
        {
            await neuron.Configure(region);
        }

        await neurons[0].BindBehaviour(RelayBehaviour.Name);
        await neurons[1].BindBehaviour(RelayBehaviour.Name);
        var e = await Assert.ThrowsAsync<AgentCapacityException>(() => neurons[2].BindBehaviour(RelayBehaviour.Name));
        Assert.Contains("NeuroMesh:Fabric:MaxAgents = 2", e.Message);
        Assert.Contains("neuron 7003", e.Message);
        Assert.Null((await neurons[2].Inspect()).Behaviour);
        Assert.False((await neurons[2].GetActivity()).Hosted);
        Assert.Equal(1, refusals.Count("max_agents"));

        // Room made by unbinding one agent is room for the next.
        Assert.True(await neurons[0].UnbindBehaviour());
        await neurons[2].BindBehaviour(RelayBehaviour.Name);
        Assert.True((await neurons[2].GetActivity()).Hosted);
        Assert.Equal(RelayBehaviour.Name, (await neurons[2].Inspect()).Behaviour);
    }
}
