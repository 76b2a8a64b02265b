using NeuroMesh.Neurons;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Persistence;

namespace NeuroMesh.Tests.Neurons;

[Collection(SiloCollection.Name)]
public sealed class RegionAffinityPlacementTests(DeltaLogClusterFixture fixture)
{
    [Fact]
    public async Task Every_neuron_of_a_region_lands_on_the_silo_its_region_hashes_to()
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        var (a, b) = RegionGrainTests.RegionsOnDifferentSilos(silos, "place");
        var placed = new Dictionary<RegionPath, HashSet<string>> { [a] = [], [b] = [] };
        for (uint i = 0; i < 24; i++)
        {
            var region = i % 2 == 0 ? a : b;
            var neuron = fixture.Cluster.GrainFactory.GetGrain<INeuronGrain>(3000 + i);
            await neuron.Configure(new NeuronConfig { Region = region });
            placed[region].Add((await neuron.GetActivity()).Silo);
        }

        Assert.Equal(RendezvousHash.Pick(a, silos).ToParsableString(), Assert.Single(placed[a]));
        Assert.Equal(RendezvousHash.Pick(b, silos).ToParsableString(), Assert.Single(placed[b]));
        Assert.NotEqual(placed[a].Single(), placed[b].Single());
    }

    [Fact]
    public void Rendezvous_hashing_is_stable_and_moves_only_the_regions_of_a_departed_silo()
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        var regions = Enumerable.Range(0, 300).Select(i => RegionPath.Parse($"spread/r{i}")).ToArray();
        var owners = regions.Select(r => RendezvousHash.Pick(r, silos)).ToArray();

        Assert.Equal(owners, regions.Select(r => RendezvousHash.Pick(r, [.. silos.Reverse()])));
        Assert.All(silos, s => Assert.InRange(owners.Count(o => o.Equals(s)), 60, 140));

        var remaining = silos[1..];
        for (var i = 0; i < regions.Length; i++)
        {
            var now = RendezvousHash.Pick(regions[i], remaining);
            if (!owners[i].Equals(silos[0]))
            {
                Assert.Equal(owners[i], now);
            }
        }
    }
}
