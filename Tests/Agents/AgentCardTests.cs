using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Regions;
using NeuroMesh.Tests.Regions;

namespace NeuroMesh.Tests.Agents;

[Trait("Tier", "Unit")]
public class AgentCardTests
{
    [Fact]
    public void Card_normalises_capabilities_and_regions()
    {
        var card = new AgentCard(" sensor ", 7, ["Vision", "vision", " ocr "], [RegionPath.Parse("b"), RegionPath.Parse("a/x"), RegionPath.Parse("B")]);
        Assert.Equal("sensor", card.Name);
        Assert.Equal(["ocr", "vision"], card.Capabilities);
        Assert.Equal(["a/x", "b"], card.Regions.Select(r => r.ToString()));
        Assert.True(card.HasCapability("VISION"));
        Assert.True(card.IsIn(RegionPath.Parse("a")));
        Assert.False(card.IsIn(RegionPath.Parse("a/xy")));
        Assert.Empty(card.Metadata);
    }

    [Theory]
    [InlineData("", "non-empty name")]
    [InlineData("   ", "non-empty name")]
    [InlineData("a\u0001b", "control character")]
    public void Card_rejects_bad_names(string name, string expected)
        => Assert.Contains(expected, Assert.Throws<ArgumentException>(() => new AgentCard(name, 1)).Message);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("two words", "whitespace at index 3")]
    [InlineData("a*b", "character '*'")]
    public void Card_rejects_bad_capabilities(string capability, string expected)
        => Assert.Contains(expected, Assert.Throws<ArgumentException>(() => new AgentCard("a", 1, [capability])).Message);

    [Fact]
    public void Card_rejects_the_broadcast_id_and_empty_metadata_keys()
    {
        Assert.Contains("broadcast", Assert.Throws<ArgumentException>(() => new AgentCard("a", uint.MaxValue)).Message);
        Assert.Contains("metadata", Assert.Throws<ArgumentException>(() => new AgentCard("a", 1, metadata: new Dictionary<string, string> { [""] = "x" })).Message);
    }

    [Fact]
    public void Card_has_value_equality_and_round_trips_through_orleans()
    {
        var card = new AgentCard("classifier", 42, ["classify", "text"], [RegionPath.Parse("cortex/language")], new Dictionary<string, string> { ["model"] = "tiny" });
        Assert.Equal(card, new AgentCard("classifier", 42, ["text", "Classify"], [RegionPath.Parse("Cortex/Language")], new Dictionary<string, string> { ["model"] = "tiny" }));
        Assert.NotEqual(card, card.WithCapabilities(["classify"]));

        var serializer = OrleansSerialization.Create();
        var copy = serializer.Deserialize<AgentCard>(serializer.SerializeToArray(card));
        Assert.Equal(card, copy);
        Assert.Equal("tiny", copy!.Metadata["model"]);
    }
}
