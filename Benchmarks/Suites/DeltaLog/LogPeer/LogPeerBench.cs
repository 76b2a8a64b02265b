using NeuroMesh.Benchmarks.Harness;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;

/// <summary>
/// Orleans' <c>LogStorage</c> log-consistency provider next to NeuroMesh's <c>DeltaLogGrain</c>, in one silo: the
/// median cost of confirming one event when the grain's log already holds L events, at growing L. LogStorage writes the
/// whole log on each confirm, so its cost grows with L; the delta log appends only the new event.
/// </summary>
/// <param name="lengths">The log lengths at which to probe, ascending.</param>
/// <param name="probes">Single-event confirms timed at each length (the median is reported).</param>
internal sealed class LogPeerBench(IReadOnlyList<int> lengths, int probes)
{
    /// <summary>The peer's name in the report (its grain storage is in memory: no durability).</summary>
    public const string LogStorageImpl = "Orleans LogStorage (in-memory storage)";

    /// <summary>NeuroMesh's provider's name in the report.</summary>
    public const string DeltaLogImpl = "DeltaLogGrain (SQLite)";

    private const int FillBatch = 1000;

    /// <summary>The sizes of a full run (1k to 20k events) or of a quick one.</summary>
    public static LogPeerBench Create(bool quick) => quick ? new([500, 1000, 2000], 20) : new([1000, 5000, 10_000, 20_000], 50);

    /// <summary>The report's case name at one log length.</summary>
    public static string CaseName(int length) => $"confirm 1 event @ log length {Label(length)}";

    /// <summary>Runs both peers, adds one figure per peer and length, and the ratios between them.</summary>
    public async Task RunAsync(BenchmarkReport report)
    {
        await using var host = await LogPeerHost.StartAsync();
        Console.Error.WriteLine($"deltalog: LogStorage peer: Orleans LogStorage over Orleans in-memory grain storage (NOT durable; serializer {host.StorageSerializer}) vs DeltaLogGrain over SQLite at {host.DatabasePath}; {probes} single-event confirms at log lengths {string.Join(", ", lengths.Select(Label))}");
        var run = Guid.NewGuid().ToString("N");
        (string Impl, ILogBenchGrain Grain)[] peers =
        [
            (LogStorageImpl, host.Grains.GetGrain<ILogBenchGrain>($"logstorage-{run}", typeof(LogStorageBenchGrain).FullName)),
            (DeltaLogImpl, host.Grains.GetGrain<ILogBenchGrain>($"deltalog-{run}", typeof(DeltaLogBenchGrain).FullName)),
        ];

        // Warm-up on separate grains: JIT, the SQLite connection, the storage grain.
        foreach (var (_, grain) in peers)
        {
            await grain.Fill(0);
        }

        foreach (var impl in new[] { typeof(LogStorageBenchGrain), typeof(DeltaLogBenchGrain) })
        {
            var warm = host.Grains.GetGrain<ILogBenchGrain>($"warmup-{run}", impl.FullName);
            await warm.Fill(200);
            await warm.Probe(20);
        }

        var versions = new long[peers.Length];
        foreach (var length in lengths)
        {
            // Peers alternate at each length, so a burst of load on the shared machine does not land on one of them.
            for (var p = 0; p < peers.Length; p++)
            {
                var (impl, grain) = peers[p];
                while (versions[p] < length)
                {
                    var fill = (int)Math.Min(FillBatch, length - versions[p]);
                    await grain.Fill(fill);
                    versions[p] += fill;
                }

                var costs = await grain.Probe(probes);
                versions[p] += probes;
                Array.Sort(costs);
                report.Add(CaseName(length), impl, costs[costs.Length / 2], "us/event confirm (median)");
            }
        }

        for (var p = 0; p < peers.Length; p++)
        {
            var (version, events, checksum) = await peers[p].Grain.Read();
            var expected = versions[p] * (versions[p] + 1) / 2;
            if (version != versions[p] || events != versions[p] || checksum != expected)
            {
                throw new InvalidOperationException($"{peers[p].Impl}: the grain holds version {version}, {events} events, checksum {checksum}; expected {versions[p]} events, checksum {expected}");
            }
        }

        foreach (var length in lengths)
        {
            report.Ratios[$"logstorage_vs_deltalog_at_{Label(length)}"] = report.Get(CaseName(length), LogStorageImpl) / report.Get(CaseName(length), DeltaLogImpl);
        }

        report.Ratios["logstorage_confirm_longest_vs_shortest"] = report.Get(CaseName(lengths[^1]), LogStorageImpl) / report.Get(CaseName(lengths[0]), LogStorageImpl);
        report.Ratios["deltalog_grain_confirm_longest_vs_shortest"] = report.Get(CaseName(lengths[^1]), DeltaLogImpl) / report.Get(CaseName(lengths[0]), DeltaLogImpl);
    }

    private static string Label(int length) => length % 1000 == 0 ? $"{length / 1000}k" : $"{length}";
}
