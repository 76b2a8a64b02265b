using NeuroMesh.Benchmarks.Harness;

namespace NeuroMesh.Tests.Benchmarks;

[Trait("Tier", "Unit")]
public sealed class BenchmarkReportTests
{
    [Fact]
    public void A_latency_past_the_histogram_or_an_empty_one_is_written_to_json_instead_of_failing()
    {
        var report = new BenchmarkReport("crosssilo");
        report.Add("latency", "mesh p99", double.PositiveInfinity, "ms");
        report.Add("latency", "mesh p50", double.NaN, "ms");
        report.Add("throughput", "mesh", 1234.5, "spikes/s");
        var path = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.json");
        try
        {
            report.WriteJson(path);
            var json = File.ReadAllText(path);
            Assert.Contains("\"Infinity\"", json);
            Assert.Contains("\"NaN\"", json);
            Assert.Contains("1234.5", json);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
