using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.Fabric;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The silo fast path against the queues .NET offers: cross-thread 1P1C (single spikes and batches of 64),
/// 1P3C fan-out, and publish/drain cost on one thread. Every peer is measured in the same run.
/// </summary>
public sealed class FabricSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "fabric";

    /// <inheritdoc />
    public string Description => "Axon ring vs bounded Channel and ConcurrentQueue: 1P1C, batched 1P1C, 1P3C fan-out, same-thread publish/drain";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var report = new BenchmarkReport(Name);
        var count = options.Quick ? 2_000_000L : 20_000_000L;
        var repeats = options.Quick ? 1 : 3;
        IFabricTransport[] transports = [new AxonTransport(), new ChannelTransport(), new QueueTransport()];

        foreach (var transport in transports)
        {
            // Warm-up: let tiered compilation reach the optimised code before anything is timed.
            transport.OneToOne(200_000, 1);
            transport.OneToOne(200_000, 64);
            transport.FanOut(100_000, 3);
            transport.SameThread(200_000);
        }

        foreach (var transport in transports)
        {
            report.Add("1p1c single", transport.Name, Median(repeats, () => count / transport.OneToOne(count, 1)) / 1e6, "M spikes/s");
        }

        foreach (var transport in transports)
        {
            report.Add("1p1c batch64", transport.Name, Median(repeats, () => count / transport.OneToOne(count, 64)) / 1e6, "M spikes/s");
        }

        foreach (var transport in transports)
        {
            report.Add("1p3c fan-out", transport.Name, Median(repeats, () => count / 2 / transport.FanOut(count / 2, 3)) / 1e6, "M spikes/s published (x3 delivered)");
        }

        foreach (var transport in transports)
        {
            var runs = Enumerable.Range(0, repeats).Select(_ => transport.SameThread(count)).ToArray();
            report.Add("same-thread publish", transport.Name, MedianOf(runs.Select(r => r.PublishNs)), "ns/spike");
            report.Add("same-thread drain", transport.Name, MedianOf(runs.Select(r => r.DrainNs)), "ns/spike");
        }

        report.Ratios["axon_vs_channel_1p1c"] = report.Get("1p1c single", "Axon") / report.Get("1p1c single", "Channel(bounded)");
        report.Ratios["axon_vs_concurrentqueue_1p1c"] = report.Get("1p1c single", "Axon") / report.Get("1p1c single", "ConcurrentQueue");
        report.Ratios["axon_batch64_vs_channel"] = report.Get("1p1c batch64", "Axon") / report.Get("1p1c batch64", "Channel(bounded)");
        report.Ratios["axon_vs_channel_fanout"] = report.Get("1p3c fan-out", "Axon") / report.Get("1p3c fan-out", "Channel(bounded)");
        report.Ratios["axon_publish_ns"] = report.Get("same-thread publish", "Axon");
        report.Ratios["axon_drain_ns"] = report.Get("same-thread drain", "Axon");
        return report;
    }

    private static double Median(int repeats, Func<double> measure) => MedianOf(Enumerable.Range(0, repeats).Select(_ => measure()));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
