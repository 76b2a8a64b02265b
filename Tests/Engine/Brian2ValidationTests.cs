using NeuroMesh.Engine;

namespace NeuroMesh.Tests.Engine;

/// <summary>
/// Each validation network's short version (<c>Tests/Fixtures/brian2/validate_stats.json</c>) on our CpuEngine over
/// seeds 1–5, against Brian2 2.5.1 running the same network (the cached fixture): per population, the mean over the
/// seeds of rate, ISI CV, fraction firing and spike-count Fano factor within ±10%. Regenerate the fixture with
/// <c>Tests/Fixtures/brian2/regenerate_validate.py</c>.
/// </summary>
[Trait("Tier", "Unit")]
public class Brian2ValidationTests
{
    [Theory]
    [InlineData("brunel_sr")]
    [InlineData("brunel_ai")]
    [InlineData("brunel_si_fast")]
    [InlineData("brunel_si_slow")]
    [InlineData("coba")]
    [InlineData("delays")]
    public void Statistics_per_population_are_within_10_percent_of_Brian2(string network)
    {
        var fixture = ValidationFixture.Load(network);
        var ours = ValidationRun.MeanOverSeeds(fixture.Spec, fixture.Seeds, fixture.WarmupMs, fixture.BinMs);
        var failures = new List<string>();
        foreach (var (population, brian) in fixture.Mean)
        {
            var mine = ours[population];
            Check(failures, population, "rate (Hz)", brian.RateHz, mine.RateHz);
            if (network != "brunel_sr")
            {
                // SR is phase-locked: its ISI CV (about 0.001) counts rare 1-tick slips and varies by 25–30% from
                // seed to seed (E, short version: ours 0.0007–0.0016 over seeds 1–10, Brian2 0.0010–0.0022 over
                // seeds 1–5), so the difference of two 5-seed means has a standard error near 18% of the value and
                // ±10% cannot be tested with 5 seeds. The validate suite reports it; it is not asserted here.
                Check(failures, population, "ISI CV", brian.CvIsi, mine.CvIsi);
            }

            Check(failures, population, "fraction firing", brian.FractionFiring, mine.FractionFiring);
            Check(failures, population, "Fano factor", brian.Fano, mine.Fano);
        }

        Assert.True(failures.Count == 0, $"{network}: " + string.Join("; ", failures));
    }

    private static void Check(List<string> failures, string population, string what, double expected, double actual)
    {
        if (Math.Abs(actual - expected) > 0.1 * Math.Abs(expected))
        {
            failures.Add($"{population} {what}: ours {actual:0.####}, Brian2 {expected:0.####} (allowed ±10%)");
        }
    }
}
