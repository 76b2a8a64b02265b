using NeuroMesh.Hosting;
using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Hosting;

[Trait("Tier", "Unit")]
public class DeltaLogOptionsTests
{
    [Fact]
    public void The_embedded_default_is_valid()
        => Assert.True(new DeltaLogOptionsValidator().Validate(null, new DeltaLogGrainOptions()).Succeeded);

    [Theory]
    [InlineData("mongo", null, "data/x.db", 10, "NeuroMesh:DeltaLog:Backend")]
    [InlineData("postgres", null, "data/x.db", 10, "NeuroMesh:DeltaLog:ConnectionString")]
    [InlineData("sqlite", null, " ", 10, "NeuroMesh:DeltaLog:Path")]
    [InlineData("sqlite", null, "data/x.db", -1, "NeuroMesh:DeltaLog:SnapshotEvery")]
    public void Invalid_settings_name_the_setting(string backend, string? connection, string path, int snapshotEvery, string setting)
    {
        var result = new DeltaLogOptionsValidator().Validate(null, new DeltaLogGrainOptions { Backend = backend, ConnectionString = connection, Path = path, SnapshotEvery = snapshotEvery });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage);
    }
}
