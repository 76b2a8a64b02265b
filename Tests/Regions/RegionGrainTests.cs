using NeuroMesh.Agents;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Persistence;
using Orleans.Runtime;

namespace NeuroMesh.Tests.Regions;

[Collection(SiloCollection.Name)]
public sealed class RegionGrainTests(DeltaLogClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task A_query_on_an_ancestor_finds_cards_registered_in_its_subtree_by_capability_and_by_region()
    {
        await Grains.GetGrain<IRegionGrain>("disc/vision/edges").RegisterCard(new AgentCard("edges", 2001, ["classify", "vision"]));
        await Grains.GetGrain<IRegionGrain>("disc/vision").RegisterCard(new AgentCard("colour", 2002, ["classify"]));
        await Grains.GetGrain<IRegionGrain>("disc/motor").RegisterCard(new AgentCard("arm", 2003, ["act"]));
        await Grains.GetGrain<IRegionGrain>("disco").RegisterCard(new AgentCard("not under disc", 2004, ["classify"]));

        var disc = Grains.GetGrain<IRegionGrain>("disc");
        Assert.Equal([2001u, 2002u], (await disc.FindByCapability(["classify"])).Select(c => c.NeuronId));
        Assert.Equal([2001u], (await disc.FindByCapability(["classify", "vision"])).Select(c => c.NeuronId));
        Assert.Equal([2001u, 2002u, 2003u], (await disc.FindByCapability(["vision", "act", "classify"], CapabilityMatch.Any)).Select(c => c.NeuronId));
        Assert.Equal([2001u, 2002u], (await disc.FindInSubtree("disc/vision")).Select(c => c.NeuronId));
        Assert.Equal([2001u], (await Grains.GetGrain<IRegionGrain>("disc/vision/edges").FindInSubtree()).Select(c => c.NeuronId));
        Assert.Contains(2004u, (await Grains.GetGrain<IRegionGrain>("/").FindByCapability(["classify"])).Select(c => c.NeuronId));

        var edges = Assert.Single(await disc.FindByCapability(["vision"]));
        Assert.Equal([RegionPath.Parse("disc/vision/edges")], edges.Regions.ToArray());

        var info = await disc.Inspect();
        Assert.Equal([RegionPath.Parse("disc/motor"), RegionPath.Parse("disc/vision")], info.Children.ToArray());
        Assert.Equal(0, info.OwnCards);
        Assert.Equal(3, info.SubtreeCards);

        Assert.True(await Grains.GetGrain<IRegionGrain>("disc/vision/edges").UnregisterCard(2001));
        Assert.False(await Grains.GetGrain<IRegionGrain>("disc/vision").UnregisterCard(2001));
        Assert.Equal([2002u], (await disc.FindByCapability(["classify"])).Select(c => c.NeuronId));
    }

    [Fact]
    public async Task Membership_and_cards_survive_deactivation()
    {
        var region = Grains.GetGrain<IRegionGrain>("keep/r");
        Assert.True(await region.AddMember(2101));
        Assert.True(await region.AddMember(2102));
        Assert.False(await region.AddMember(2102));
        Assert.True(await region.RemoveMember(2101));
        await region.RegisterCard(new AgentCard("keeper", 2102, ["store"], metadata: new Dictionary<string, string> { ["k"] = "v" }));
        var before = await region.Inspect();

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Eventually.Until(
            () => Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(),
            stats => !stats.Any(s => s.GrainId.ToString().EndsWith("keep/r", StringComparison.Ordinal)),
            "region keep/r to be deactivated");

        var after = await region.Inspect();
        Assert.Equal([2102u], after.Members.ToArray());
        Assert.Equal(before.Members.ToArray(), after.Members.ToArray());
        Assert.Equal(1, after.OwnCards);
        var card = Assert.Single(await region.FindByCapability(["store"]));
        Assert.Equal("v", card.Metadata["k"]);
        Assert.True(await region.Contains(2102));
        Assert.False(await region.Contains(2101));
    }

    [Fact]
    public async Task A_card_registered_by_a_neuron_on_one_silo_is_found_through_a_neuron_on_another()
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        Assert.Equal(3, silos.Length);
        var (a, b) = RegionsOnDifferentSilos(silos, "xsilo");
        var publisher = Grains.GetGrain<NeuroMesh.Neurons.INeuronGrain>(2201);
        var asker = Grains.GetGrain<NeuroMesh.Neurons.INeuronGrain>(2202);
        await publisher.Configure(new NeuroMesh.Neurons.NeuronConfig { Region = a });
        await asker.Configure(new NeuroMesh.Neurons.NeuronConfig { Region = b });
        await publisher.BindBehaviour(RelayBehaviour.Name);
        await publisher.Advertise("publisher", ["translate"]);

        var publisherSilo = (await publisher.GetActivity()).Silo;
        var askerSilo = (await asker.GetActivity()).Silo;
        Assert.NotEqual(publisherSilo, askerSilo);

        var found = Assert.Single(await asker.Discover(["translate"]));
        Assert.Equal(2201u, found.NeuronId);
        Assert.Equal(["relay", "translate"], found.Capabilities);
        Assert.Equal([a], found.Regions.ToArray());
        Assert.Empty(await asker.Discover(["translate"], b.ToString()));
    }

    /// <summary>Two region paths that rendezvous hashing puts on different silos of this cluster.</summary>
    internal static (RegionPath A, RegionPath B) RegionsOnDifferentSilos(SiloAddress[] silos, string prefix)
    {
        var first = RegionPath.Parse($"{prefix}/r0");
        var home = NeuroMesh.Placement.RendezvousHash.Pick(first, silos);
        for (var i = 1; i < 100; i++)
        {
            var other = RegionPath.Parse($"{prefix}/r{i}");
            if (!NeuroMesh.Placement.RendezvousHash.Pick(other, silos).Equals(home))
            {
                return (first, other);
            }
        }

        throw new InvalidOperationException("no two regions on different silos in 100 tries");
    }
}
