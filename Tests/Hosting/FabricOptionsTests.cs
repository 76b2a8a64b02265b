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
        Assert.Equal(32L << 20, options.ToLayout().TotalBytes);
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
