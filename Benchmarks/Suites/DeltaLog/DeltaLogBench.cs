using System.Diagnostics;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Persistence;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog;

/// <summary>The measurements of one backend: batched append throughput, append cost at growing log length, replay.</summary>
internal sealed class DeltaLogBench(string impl, IDeltaLogStore store, bool quick)
{
    private const int PayloadBytes = 64;
    private const int ProbeBatches = 200;
    private const int ProbeBatchSize = 100;

    public async Task RunAsync(BenchmarkReport report)
    {
        var total = quick ? 200_000 : 1_000_000;

        // Warm-up on its own stream: JIT, connection pool, prepared statements.
        await AppendAsync("bench/warmup", 0, 20_000, 100);

        var small = await AppendAsync("bench/batch100", 0, quick ? 50_000 : 200_000, 100);
        report.Add("append batch=100", impl, small.Count / small.Elapsed.TotalSeconds, "deltas/s");

        // One long stream filled in batches of 1000; at 0, 10% and 100% of its length, the cost of an append of 100.
        const string Stream = "bench/long";
        long version = 0;
        var filled = TimeSpan.Zero;
        foreach (var (mark, label) in new[] { (0, "0"), (total / 10, Label(total / 10)), (total, Label(total)) })
        {
            var fill = await AppendAsync(Stream, version, mark - (int)Math.Min(version, mark), 1000);
            version += fill.Count;
            filled += fill.Elapsed;
            // The median of single appends: a checkpoint or fsync stall on a shared machine moves a mean, not a median.
            var costs = new double[ProbeBatches];
            for (var i = 0; i < ProbeBatches; i++)
            {
                var probe = await AppendAsync(Stream, version, ProbeBatchSize, ProbeBatchSize);
                version += probe.Count;
                costs[i] = probe.Elapsed.TotalMicroseconds;
            }

            Array.Sort(costs);
            report.Add($"append cost @ log length {label}", impl, costs[ProbeBatches / 2], $"us/append of {ProbeBatchSize} (median)");
        }

        report.Add("append batch=1000", impl, (version - (3 * ProbeBatches * ProbeBatchSize)) / filled.TotalSeconds, "deltas/s");

        var watch = Stopwatch.StartNew();
        long replayed = 0;
        await foreach (var record in store.ReadAsync(Stream))
        {
            replayed += record.Payload.Length > 0 ? 1 : 0;
        }

        watch.Stop();
        if (replayed != version)
        {
            throw new InvalidOperationException($"{impl}: replay returned {replayed} deltas, the stream holds {version}");
        }

        report.Add($"replay {Label(replayed)} deltas", impl, watch.Elapsed.TotalSeconds, "s");
        report.Add("replay throughput", impl, replayed / watch.Elapsed.TotalSeconds, "deltas/s");
    }

    private static string Label(long count) => count >= 1_000_000 ? $"{count / 1_000_000.0:0.##}M" : $"{count / 1000}k";

    private async Task<(long Count, TimeSpan Elapsed)> AppendAsync(string stream, long version, int count, int batchSize)
    {
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        var start = version;
        var watch = Stopwatch.StartNew();
        while (version - start < count)
        {
            var size = (int)Math.Min(batchSize, count - (version - start));
            var deltas = new Delta[size];
            for (var i = 0; i < size; i++)
            {
                deltas[i] = new Delta("Bench", payload);
            }

            version = (await store.AppendAsync(stream, version, DeltaBatch.Create(deltas))).LastVersion;
        }

        return (version - start, watch.Elapsed);
    }
}
