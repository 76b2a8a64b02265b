using NeuroMesh.Simulation;

namespace NeuroMesh.Tests.Simulation;

[Trait("Tier", "Unit")]
public sealed class ExchangeHistogramTests
{
    [Fact]
    public void Percentiles_are_bucket_upper_bounds_within_nine_percent_of_the_true_value()
    {
        var histogram = new ExchangeHistogram();
        Assert.Equal(0, histogram.Percentile(0.5));
        for (var micros = 1; micros <= 1000; micros++)
        {
            histogram.Record(micros);
        }

        // The true p50 is 500 µs and the true p99 990 µs; a bucket's upper bound is at most one bucket (2^(1/8)) above.
        Assert.InRange(histogram.Percentile(0.5), 500, 500 * Math.Pow(2, 1 / 8.0));
        Assert.InRange(histogram.Percentile(0.99), 990, 990 * Math.Pow(2, 1 / 8.0));
        Assert.InRange(histogram.Percentile(1), 1000, 1000 * Math.Pow(2, 1 / 8.0));
    }

    [Fact]
    public void Sub_microsecond_and_huge_times_land_in_the_end_buckets()
    {
        var histogram = new ExchangeHistogram();
        histogram.Record(0.2);
        Assert.InRange(histogram.Percentile(1), 1, 1.1);
        histogram.Record(1e13);
        Assert.True(histogram.Percentile(1) > 1e10);
    }
}
