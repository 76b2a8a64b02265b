using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Tests.Agents;

[Trait("Tier", "Unit")]
public class AgentDirectoryTests
{
    private static AgentDirectory Sample()
    {
        var directory = new AgentDirectory();
        directory.Register(new AgentCard("actuator", 9, ["act"], [RegionPath.Parse("motor")]));
        directory.Register(new AgentCard("syntax", 3, ["parse", "classify"], [RegionPath.Parse("cortex/language/syntax")]));
        directory.Register(new AgentCard("lang-ish", 5, ["classify"], [RegionPath.Parse("cortex/lang")]));
        directory.Register(new AgentCard("vision", 1, ["classify", "see"], [RegionPath.Parse("cortex/vision"), RegionPath.Parse("motor/eyes")]));
        directory.Register(new AgentCard("language", 2, ["parse"], [RegionPath.Parse("cortex/language")]));
        return directory;
    }

    private static uint[] Ids(IEnumerable<AgentCard> cards) => [.. cards.Select(c => c.NeuronId)];

    [Fact]
    public void Discovery_by_capability_is_ordered_by_neuron_id()
    {
        var directory = Sample();
        Assert.Equal([1u, 3, 5], Ids(directory.FindByCapability("Classify")));
        Assert.Equal([3u], Ids(directory.FindByCapabilities(["classify", "parse"], CapabilityMatch.All)));
        Assert.Equal([1u, 2, 3, 5], Ids(directory.FindByCapabilities(["see", "parse", "classify"], CapabilityMatch.Any)));
        Assert.Empty(directory.FindByCapability("fly"));
    }

    [Fact]
    public void Discovery_by_region_covers_the_subtree_on_segment_boundaries()
    {
        var directory = Sample();
        Assert.Equal([2u, 3], Ids(directory.FindInRegion(RegionPath.Parse("cortex/language"))));
        Assert.Equal([5u], Ids(directory.FindInRegion(RegionPath.Parse("cortex/lang"))));
        Assert.Equal([1u, 2, 3, 5], Ids(directory.FindInRegion(RegionPath.Parse("cortex"))));
        Assert.Equal([1u, 9], Ids(directory.FindInRegion(RegionPath.Parse("motor"))));
        Assert.Equal([1u, 2, 3, 5, 9], Ids(directory.FindInRegion(RegionPath.Root)));
    }

    [Fact]
    public void Discovery_by_capability_and_region_together()
    {
        var directory = Sample();
        Assert.Equal([3u], Ids(directory.Find(["classify"], CapabilityMatch.All, RegionPath.Parse("cortex/language"))));
        Assert.Equal([1u, 3, 5], Ids(directory.Find(["classify"], CapabilityMatch.Any, RegionPath.Parse("cortex"))));
        Assert.Equal([2u, 3], Ids(directory.Find(null, CapabilityMatch.All, RegionPath.Parse("cortex/language"))));
    }

    [Fact]
    public void Register_update_and_unregister_give_clear_errors()
    {
        var directory = Sample();
        Assert.Contains("already has an agent card ('vision')", Assert.Throws<ArgumentException>(() => directory.Register(new AgentCard("other", 1))).Message);
        Assert.Contains("neuron 77", Assert.Throws<KeyNotFoundException>(() => directory.Unregister(77)).Message);
        Assert.Contains("neuron 77", Assert.Throws<KeyNotFoundException>(() => directory.Update(new AgentCard("x", 77))).Message);
        Assert.Contains("at least one capability", Assert.Throws<ArgumentException>(() => directory.FindByCapabilities([])).Message);
        Assert.Throws<ArgumentException>(() => directory.FindByCapability("bad name"));

        directory.Update(new AgentCard("vision", 1, ["see"], [RegionPath.Parse("motor/eyes")]));
        Assert.Equal([3u, 5], Ids(directory.FindByCapability("classify")));
        Assert.Equal("actuator", directory.Unregister(9).Name);
        Assert.False(directory.TryGet(9, out _));
        Assert.Equal(4, directory.Count);
        Assert.Equal([1u], Ids(directory.FindInRegion(RegionPath.Parse("motor"))));
    }

    [Fact]
    public async Task Concurrent_registration_keeps_every_card()
    {
        var directory = new AgentDirectory();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                var id = (uint)((t * 250) + i);
                directory.Register(new AgentCard($"a{id}", id, [id % 2 == 0 ? "even" : "odd"]));
                _ = directory.FindByCapability("even");
            }
        })));

        Assert.Equal(1000, directory.Count);
        Assert.Equal(500, directory.FindByCapability("even").Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (uint)i), Ids(directory.All));
    }
}
