using NeuroMesh.Neurons;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Persistence;
using NeuroMesh.Tests.Regions;

namespace NeuroMesh.Tests.Placement;

[Collection(SiloCollection.Name)]
public sealed class RegionAffinityPlacementTests(DeltaLogClusterFixture fixture)
{
    [Fact]
    public async Task Every_neuron_of_a_region_lands_on_the_silo_its_region_hashes_to()
    {
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        var (a, b) = RegionGrainTests.RegionsOnDifferentSilos(silos, "place");
        var placed = new Dictionary<RegionPath, HashSet<string>> { [a] = [], [b] = [] };
        var seen = new List<string>();
        for (uint i = 0; i < 24; i++)
        {
            var region = i % 2 == 0 ? a : b;
            var neuron = fixture.Cluster.GrainFactory.GetGrain<INeuronGrain>(3000 + i);
            await neuron.Configure(new NeuronConfig { Region = region });
            var activity = await neuron.GetActivity();
            placed[region].Add(activity.Silo);
            seen.Add($"{3000 + i} ({region}): {activity.Silo} {activity.Activation}");
        }

        // Named per neuron, so that a split shows which neurons went where (a single one is the signature of an activation
        // left where it was first placed, before it had a region).
        var where = $"silos {string.Join(", ", silos.Select(s => s.ToParsableString()))}; {string.Join("; ", seen)}";
        Assert.True(placed[a].Count == 1 && placed[b].Count == 1, $"a region's neurons are on more than one silo: {where}");
        Assert.Equal(RendezvousHash.Pick(a, silos).ToParsableString(), placed[a].Single());
        Assert.Equal(RendezvousHash.Pick(b, silos).ToParsableString(), placed[b].Single());
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
