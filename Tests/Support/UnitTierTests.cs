namespace NeuroMesh.Tests.Support;

/// <summary>
/// The unit tier stays a unit tier: no class marked <c>[Trait("Tier", "Unit")]</c> starts a cluster, a process, a database
/// or a browser, so <c>./test.sh --fast</c> needs no service and stays fast. A class that starts one belongs in the full run.
/// </summary>
[Trait(UnitTier.Trait, UnitTier.Value)]
public sealed class UnitTierTests
{
    [Fact]
    public void No_class_in_the_unit_tier_starts_a_cluster_a_process_a_database_or_a_browser()
    {
        var classes = UnitTier.MarkedClasses();
        Assert.Contains(typeof(UnitTierTests), classes);
        var violations = classes.SelectMany(c => UnitTier.Violations(c).Select(v => $"{c.FullName}: {v}")).ToArray();
        Assert.True(violations.Length == 0, $"classes marked [Trait(\"{UnitTier.Trait}\", \"{UnitTier.Value}\")] that start something (move the test, or drop the trait):\n{string.Join('\n', violations)}");
    }

    [Theory]
    [InlineData(typeof(Simulation.SpikeTapTests), "NeuroMesh.Hosting.EmbeddedCluster")]
    [InlineData(typeof(Regions.RegionGrainTests), "Orleans.TestingHost.")]
    [InlineData(typeof(Gateway.GatewayBrowserTests), "NeuroMesh.Tests.Silo.NodeProcess")]
    [InlineData(typeof(Gateway.GatewayBrowserTests), "Microsoft.Playwright.")]
    [InlineData(typeof(Persistence.PostgresDeltaLogStoreTests), "NeuroMesh.Persistence.PostgresDeltaLogStore")]
    [InlineData(typeof(Persistence.StoreCrashTests), "System.Diagnostics.Process")]
    [InlineData(typeof(Simulation.SpikeTapTests), "Microsoft.Extensions.Hosting.IHost.StartAsync")]
    public void The_guard_sees_what_a_class_outside_the_tier_starts(Type testClass, string reaches)
    {
        Assert.False(UnitTier.IsMarked(testClass));
        var violations = UnitTier.Violations(testClass);
        Assert.Contains(violations, v => v.StartsWith(reaches, StringComparison.Ordinal));
    }
}
