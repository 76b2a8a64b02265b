using System.Diagnostics;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Fabric;

/// <summary>Helpers shared by the transports: spike generation and thread orchestration.</summary>
internal static class BenchSpikes
{
    public const int RingCapacity = 4096;

    public static Spike Make(long i) => Spike.Create(source: (uint)i, target: 7, tick: (uint)i, sequence: (uint)i);

    /// <summary>Runs the producer and consumers on dedicated threads, released together; returns the seconds until all finish.</summary>
    public static double Run(Action producer, params Action[] consumers)
    {
        using var start = new ManualResetEventSlim(false);
        var threads = consumers.Select(c => new Thread(() => { start.Wait(); c(); }) { IsBackground = true }).ToList();
        threads.Add(new Thread(() => { start.Wait(); producer(); }) { IsBackground = true });
        threads.ForEach(t => t.Start());
        Thread.Sleep(20);
        var watch = Stopwatch.StartNew();
        start.Set();
        threads.ForEach(t => t.Join());
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Checks that a consumer saw spikes in publish order; a benchmark that loses or reorders data measures nothing.</summary>
    public static void Check(long expectedCount, long received, long lastSource)
    {
        if (received != expectedCount || lastSource != (uint)(expectedCount - 1))
        {
            throw new InvalidOperationException($"benchmark consumer received {received} spikes (last {lastSource}), expected {expectedCount}");
        }
    }
}
