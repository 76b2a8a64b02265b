using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;

namespace NeuroMesh.Tests.Persistence;

/// <summary>
/// The deltalog benchmark's LogStorage peer at a tiny size, so that the benchmark code cannot rot silently: both grains
/// must hold every event they confirmed (the run checks version, count and checksum) and the report must carry one figure
/// per peer and length plus the ratios. No timing is asserted.
/// </summary>
public class LogPeerBenchmarkTests
{
    [Fact]
    public async Task Both_peers_confirm_every_event_and_the_report_has_every_figure_and_ratio()
    {
        var report = new BenchmarkReport("deltalog");
        await new LogPeerBench([20, 50], probes: 3).RunAsync(report);

        foreach (var length in new[] { 20, 50 })
        {
            foreach (var impl in new[] { LogPeerBench.LogStorageImpl, LogPeerBench.DeltaLogImpl })
            {
                Assert.True(report.Get(LogPeerBench.CaseName(length), impl) > 0, $"{impl} at {length}");
            }
        }

        Assert.Equal(4, report.Results.Count);
        Assert.Contains("logstorage_vs_deltalog_at_20", report.Ratios.Keys);
        Assert.Contains("logstorage_vs_deltalog_at_50", report.Ratios.Keys);
        Assert.Contains("logstorage_confirm_longest_vs_shortest", report.Ratios.Keys);
        Assert.Contains("deltalog_grain_confirm_longest_vs_shortest", report.Ratios.Keys);
    }
}
