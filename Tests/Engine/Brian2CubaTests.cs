using System.Text.Json;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Tests.Network;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class Brian2CubaTests
{
    [Fact]
    public void Cuba_statistics_averaged_over_seeds_1_to_5_are_within_10_percent_of_Brian2()
    {
        var fixturePath = Path.Combine(ExamplesDirectory.Root(), "Tests", "Fixtures", "brian2", "cuba_stats.json");
        using var fixture = JsonDocument.Parse(File.ReadAllText(fixturePath));
        var brian = fixture.RootElement.GetProperty("mean");
        var spec = NetworkSpec.Load(Path.Combine(NetworkSpecValidationTests.ExamplesDirectory(), "cuba.json"));
        double rate = 0, cv = 0, fraction = 0;
        for (ulong seed = 1; seed <= 5; seed++)
        {
            using var engine = new CpuEngine(spec, new EngineOptions { Seed = seed });
            var result = engine.Run(10_000);
            rate += result.MeanRateHz() / 5;
            cv += result.MeanCvIsi() / 5;
            fraction += result.FractionFiring() / 5;
        }

        AssertWithin(brian.GetProperty("rate_hz").GetDouble(), rate, "mean rate (Hz)");
        AssertWithin(brian.GetProperty("cv_isi").GetDouble(), cv, "mean CV of ISIs");
        AssertWithin(brian.GetProperty("fraction_firing").GetDouble(), fraction, "fraction of neurons firing");
    }

    private static void AssertWithin(double expected, double actual, string what)
        => Assert.True(Math.Abs(actual - expected) <= 0.1 * expected, $"{what}: ours {actual:0.####}, Brian2 {expected:0.####} (allowed ±10%)");
}
