using System.Collections.Immutable;
using NeuroMesh.Agents;
using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Persistence;
using Orleans.Runtime;

namespace NeuroMesh.Tests.Neurons;

[Collection(SiloCollection.Name)]
public sealed class NeuronGrainTests(DeltaLogClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task Configuration_behaviour_card_and_synapses_survive_deactivation()
    {
        var neuron = Grains.GetGrain<INeuronGrain>(1001);
        var config = new NeuronConfig
        {
            Region = RegionPath.Parse("persist/n"),
            RefractoryTicks = 3,
            Params = ImmutableSortedDictionary<string, double>.Empty.Add("tauM", 20).Add("vThreshold", -50),
        };
        await neuron.Configure(config);
        await neuron.BindBehaviour(RelayBehaviour.Name);
        await neuron.Advertise("relay one", ["route"]);
        await neuron.Connect(new OutgoingSynapse(1002, 0.5, 1.5));
        await neuron.Connect(new OutgoingSynapse(1003, -0.25));
        Assert.True(await neuron.Disconnect(1003));
        var before = await neuron.Inspect();
        var activation = (await neuron.GetActivity()).Activation;

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await Eventually.Until(neuron.GetActivity, a => a.Activation != activation, "a new activation of neuron 1001");

        Assert.True(after.Hosted, "a neuron with a behaviour is hosted in its silo's mesh again when it reactivates");
        var info = await neuron.Inspect();
        Assert.Equal(1001u, info.Id);
        Assert.Equal(RegionPath.Parse("persist/n"), info.Region);
        Assert.Equal(3, info.RefractoryTicks);
        Assert.Equal(20, info.Params["tauM"]);
        Assert.Equal(-50, info.Params["vThreshold"]);
        Assert.Equal(RelayBehaviour.Name, info.Behaviour);
        Assert.Equal(before.Card, info.Card);
        Assert.Equal(["relay", "route"], info.Card!.Capabilities);
        Assert.Equal([new OutgoingSynapse(1002, 0.5, 1.5)], info.Synapses.ToArray());
    }

    [Fact]
    public async Task Co_located_neurons_exchange_spikes_over_the_silo_mesh()
    {
        var region = new NeuronConfig { Region = RegionPath.Parse("mesh/pair") };
        var sender = Grains.GetGrain<INeuronGrain>(1101);
        var receiver = Grains.GetGrain<INeuronGrain>(1102);
        await sender.Configure(region);
        await receiver.Configure(region);
        await receiver.BindBehaviour(RelayBehaviour.Name);
        await sender.BindBehaviour(RelayBehaviour.Name);
        await sender.Connect(new OutgoingSynapse(1102, 1));

        await sender.Stimulate();
        await sender.Stimulate();
        var got = await Eventually.Until(receiver.GetActivity, a => a.Received >= 2, "two spikes at neuron 1102");
        var sent = await sender.GetActivity();

        Assert.Equal(sent.Silo, got.Silo);
        Assert.Equal(2, sent.Fired);
        Assert.Equal(2, got.Received);
        Assert.Equal(0, sent.Received);
    }

    [Fact]
    public async Task A_behaviours_recorded_state_is_logged_and_restored_into_the_next_activation()
    {
        var region = new NeuronConfig { Region = RegionPath.Parse("state/pair") };
        var sender = Grains.GetGrain<INeuronGrain>(1301);
        var counter = Grains.GetGrain<INeuronGrain>(1302);
        await sender.Configure(region);
        await counter.Configure(region);
        await counter.BindBehaviour(TestBehaviours.Counting);
        await sender.BindBehaviour(RelayBehaviour.Name);
        await sender.Connect(new OutgoingSynapse(1302, 1));
        for (var i = 0; i < 25; i++)
        {
            await sender.Stimulate();
        }

        var before = await Eventually.Until(counter.GetActivity, a => a.Received >= 25, "25 spikes at the counter");
        Assert.Equal(25, await counter.FlushState());
        Assert.Equal(25, TestBehaviours.CountingBehaviour.Seen[1302]);

        // A new activation: the behaviour is a fresh instance, rebuilt from the logged deltas (the whole count at 20, then
        // five single deltas), so its next spike is its 26th.
        await counter.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var after = await Eventually.Until(counter.GetActivity, a => a.Activation != before.Activation, "a new activation of the counter");
        Assert.Equal((25, 0), (after.StateDeltas, after.StateRefused));
        await sender.Stimulate();
        await Eventually.Until(counter.GetActivity, a => a.Received >= 1, "a spike at the new activation");
        Assert.Equal(26, TestBehaviours.CountingBehaviour.Seen[1302]);
        Assert.Equal(26, await counter.FlushState());

        // Unbinding drops the state with the behaviour: binding it again starts from zero.
        await counter.UnbindBehaviour();
        await counter.BindBehaviour(TestBehaviours.Counting);
        await sender.Stimulate();
        await Eventually.Until(counter.GetActivity, a => a.Received >= 1, "a spike after rebinding");
        Assert.Equal(1, TestBehaviours.CountingBehaviour.Seen[1302]);
    }

    [Fact]
    public async Task A_replacing_state_delta_compacts_the_neurons_log_and_the_state_survives_it()
    {
        // The fixture compacts a neuron's log at a replacing delta once 40 events have gathered (AgentLogCompactAfter).
        var region = new NeuronConfig { Region = RegionPath.Parse("state/compact") };
        var sender = Grains.GetGrain<INeuronGrain>(1311);
        var counter = Grains.GetGrain<INeuronGrain>(1312);
        await sender.Configure(region);
        await counter.Configure(region);
        await counter.BindBehaviour(TestBehaviours.Counting);
        await counter.Connect(new OutgoingSynapse(1311, 0.5));
        await sender.BindBehaviour(RelayBehaviour.Name);
        await sender.Connect(new OutgoingSynapse(1312, 1));
        for (var i = 0; i < 95; i++)
        {
            await sender.Stimulate();
        }

        var before = await Eventually.Until(counter.GetActivity, a => a.Received >= 95, "95 spikes at the counter");
        Assert.Equal(95, await counter.FlushState());

        await using var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = DeltaLogClusterFixture.DatabasePath });
        var stream = (await store.GetStreamAsync(counter.GetGrainId().ToString()))!;
        var left = 0;
        await foreach (var record in store.ReadAsync(stream.StreamId, stream.TruncatedThrough + 1))
        {
            left++;
        }

        // Configure, bind, connect and 95 state deltas: 98 events, of which the compaction removed those behind it.
        Assert.Equal(98, stream.Version);
        Assert.True(stream.TruncatedThrough >= 40, $"the log must have been compacted (truncated through {stream.TruncatedThrough})");
        Assert.Equal(stream.Version - stream.TruncatedThrough, left);
        Assert.Equal(stream.TruncatedThrough, stream.SnapshotVersion);

        // A new activation opens the compacted log: configuration, synapse and the count (90, then five single deltas).
        await counter.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var after = await Eventually.Until(counter.GetActivity, a => a.Activation != before.Activation, "a new activation of the counter");
        Assert.Equal(95, after.StateDeltas);
        var info = await counter.Inspect();
        Assert.Equal((RegionPath.Parse("state/compact"), TestBehaviours.Counting), (info.Region, info.Behaviour));
        Assert.Equal([new OutgoingSynapse(1311, 0.5)], info.Synapses.ToArray());
        await sender.Stimulate();
        await Eventually.Until(counter.GetActivity, a => a.Received >= 1, "a spike at the new activation");
        Assert.Equal(96, TestBehaviours.CountingBehaviour.Seen[1312]);
    }

    [Fact]
    public async Task A_behaviour_that_throws_is_counted_and_reported_and_the_silo_keeps_running()
    {
        var region = new NeuronConfig { Region = RegionPath.Parse("mesh/faulty") };
        var sender = Grains.GetGrain<INeuronGrain>(1201);
        var faulty = Grains.GetGrain<INeuronGrain>(1202);
        var healthy = Grains.GetGrain<INeuronGrain>(1203);
        foreach (var n in new[] { sender, faulty, healthy })
        {
            await n.Configure(region);
        }

        await faulty.BindBehaviour(TestBehaviours.Throws);
        await healthy.BindBehaviour(RelayBehaviour.Name);
        await sender.BindBehaviour(RelayBehaviour.Name);
        await sender.Connect(new OutgoingSynapse(1202, 1));
        await sender.Connect(new OutgoingSynapse(1203, 1));

        await sender.Stimulate();
        await faulty.Stimulate();
        var report = await Eventually.Until(faulty.GetActivity, a => a.Faults >= 2, "two faults of neuron 1202");
        Assert.True(report.Hosted);
        Assert.Contains(report.RecentFaults, f => f.StartsWith("OnSpike", StringComparison.Ordinal) && f.Contains("boom on spike from 1201", StringComparison.Ordinal));
        Assert.Contains(report.RecentFaults, f => f.StartsWith("OnFire", StringComparison.Ordinal) && f.Contains("boom on fire", StringComparison.Ordinal));

        // The same mesh keeps delivering: the healthy neuron got the first spike and gets the next one.
        await Eventually.Until(healthy.GetActivity, a => a.Received >= 1, "the first spike at neuron 1203");
        await sender.Stimulate();
        var after = await Eventually.Until(healthy.GetActivity, a => a.Received >= 2, "the second spike at neuron 1203");
        Assert.Equal(report.Silo, after.Silo);
        Assert.Equal(0, after.Faults);
    }

    [Fact]
    public async Task Population_neurons_are_not_activated_by_a_slice_and_activate_when_addressed()
    {
        const string spec = """
            { "dt": 0.1, "duration": 10, "seed": 5,
              "populations": [ { "name": "P", "size": 50, "model": "lif_delta", "params": { "tauM": 10, "vThreshold": 15 } },
                               { "name": "Q", "size": 5, "model": "lif_delta" } ],
              "projections": [ { "name": "PQ", "source": "P", "target": "Q", "rule": { "kind": "all_to_all" }, "weight": 0.5 } ] }
            """;
        // Ids 0..54 of this spec are taken by the slice; keep them clear of other tests by using a dedicated region.
        var region = Grains.GetGrain<IRegionGrain>("pop/slice");
        var info = await region.AssignSlice(spec, ["P"]);
        Assert.Equal(new PopulationSlice("P", 0, 50, "lif_delta", info.Populations[0].ParamsJson), Assert.Single(info.Populations));
        Assert.False(Assert.Single(info.Projections).Internal);

        var management = Grains.GetGrain<IManagementGrain>(0);
        Assert.Empty(await NeuronActivations(management, 0, 49));

        var neuron = await Grains.GetGrain<INeuronGrain>(7).Inspect();
        Assert.Equal("P", neuron.Population);
        Assert.Equal(RegionPath.Parse("pop/slice"), neuron.Region);
        Assert.Equal(15, neuron.Params["vThreshold"]);
        var activated = await NeuronActivations(management, 0, 49);
        Assert.Equal(new long[] { 7 }, activated);
    }

    private static async Task<long[]> NeuronActivations(IManagementGrain management, long first, long last)
    {
        var stats = await management.GetDetailedGrainStatistics();
        return [.. stats
            .Where(s => s.GrainType.Contains(nameof(NeuronGrain), StringComparison.Ordinal))
            .Select(s => s.GrainId.GetIntegerKey())
            .Where(k => k >= first && k <= last)
            .Order()];
    }
}
