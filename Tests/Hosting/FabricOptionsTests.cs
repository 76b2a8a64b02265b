using NeuroMesh.Fabric;
using NeuroMesh.Hosting;

namespace NeuroMesh.Tests.Hosting;

[Trait("Tier", "Unit")]
public class FabricOptionsTests
{
    [Fact]
    public void Valid_settings_pass_and_give_the_tier_layout()
    {
        var options = new FabricOptions { Tier = FabricTier.Light };
        Assert.True(new FabricOptionsValidator().Validate(null, options).Succeeded);

        // The tier's payload and state areas, and a ring pool with room for MaxAgents idle agents on top of the tier's rings.
        var tier = FabricLayout.ForTier(FabricTier.Light);
        var layout = options.ToLayout();
        Assert.Equal(tier.PayloadBytes, layout.PayloadBytes);
        Assert.Equal(tier.StateBytes, layout.StateBytes);
        Assert.Equal(1024, layout.MinRingBytes);
        Assert.True(layout.MaxSmallRings >= FabricOptions.DefaultMaxAgents + tier.MaxSmallRings, $"{layout.MaxSmallRings} small rings");
        Assert.Equal(256L << 20, layout.TotalBytes);
        var one = new FabricOptions { Tier = FabricTier.Light, MaxAgents = 1 }.ToLayout();
        Assert.Equal(tier.RingCount + 1, one.RingCount);
        Assert.Equal(64L << 20, one.TotalBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_max_agents_below_one_names_the_setting(int agents)
    {
        var result = new FabricOptionsValidator().Validate(null, new FabricOptions { MaxAgents = agents });
        Assert.True(result.Failed);
        Assert.Contains("NeuroMesh:Fabric:MaxAgents", result.FailureMessage);
    }

    [Theory]
    [InlineData(300, "NeuroMesh:Fabric:DedicatedMiB")]
    [InlineData(128, "NeuroMesh:Fabric:DedicatedMiB")]
    public void An_invalid_dedicated_size_names_the_setting(int mebibytes, string setting)
    {
        var result = new FabricOptionsValidator().Validate(null, new FabricOptions { Tier = FabricTier.Dedicated, DedicatedMiB = mebibytes });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage);
    }

    [Fact]
    public void An_unknown_tier_names_the_setting()
    {
        var result = new FabricOptionsValidator().Validate(null, new FabricOptions { Tier = (FabricTier)42 });
        Assert.True(result.Failed);
        Assert.Contains("NeuroMesh:Fabric:Tier", result.FailureMessage);
    }
}
