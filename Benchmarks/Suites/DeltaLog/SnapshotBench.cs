using System.Diagnostics;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Snapshots;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog;

/// <summary>
/// Engine snapshots, in the deltalog suite's run. (1) Size, copy (the run's stall), encode per codec, write (fsync'd
/// file) and restore, for CUBA 4000 and Brunel 12,500 (15.6 M synapses) on CpuEngine. (2) Recovery time of a CUBA run of
/// 10.5 s and of 100.5 s of simulated time on an embedded silo: a rebuild to the last checkpoint from the latest snapshot
/// (what a recovery after a lost silo does), against a rebuild from tick 0, and the snapshot store's size with the
/// default retention (K = 2) against keeping every snapshot.
/// </summary>
internal sealed class SnapshotBench(bool quick)
{
    public async Task RunAsync(BenchmarkReport report)
    {
        var root = CubaSuite.RepositoryRoot();
        Measure(report, "cuba 4000", NetworkSpec.Load(Path.Combine(root, "examples", "cuba.json")));
        if (!quick)
        {
            Measure(report, "brunel 12500", NetworkSpec.Load(Path.Combine(root, "examples", "brunel.json")));
        }

        var cuba = NetworkSpec.Load(Path.Combine(root, "examples", "cuba.json"));
        var shortRun = await RecoveryAsync(report, cuba, quick ? 2.5 : 10.5, fromStart: false);
        var longRun = await RecoveryAsync(report, cuba, quick ? 10.5 : 100.5, fromStart: true);
        report.Ratios["recovery_100s_vs_10s"] = longRun.FromSnapshot / shortRun.FromSnapshot;
        report.Ratios["recovery_vs_full_replay_100s"] = longRun.FromSnapshot / longRun.FromStart!.Value;
        report.Ratios["snapshot_store_keep2_vs_all_100s"] = longRun.KeptBytes / (double)longRun.AllBytes;
    }

    private static void Measure(BenchmarkReport report, string name, NetworkSpec spec)
    {
        var clock = Stopwatch.StartNew();
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        report.Add($"snapshot {name}: build", "CpuEngine", clock.Elapsed.TotalSeconds, "s");
        engine.Run(2000);

        // The stall: the copy the shard makes before it goes on (best of 5).
        var copies = new List<double>();
        EngineState state = null!;
        for (var i = 0; i < 5; i++)
        {
            clock.Restart();
            state = engine.ExportState();
            copies.Add(clock.Elapsed.TotalMilliseconds * 1000);
        }

        report.Add($"snapshot {name}: copy (stall)", "CpuEngine", copies.Min(), "us");
        var rawBytes = EngineStateCodec.Encode(state, SnapshotCodec.None).Length;
        foreach (var codec in new[] { SnapshotCodec.None, SnapshotCodec.Deflate, SnapshotCodec.Brotli })
        {
            clock.Restart();
            var encoded = EngineStateCodec.Encode(state, codec);
            var seconds = clock.Elapsed.TotalSeconds;
            report.Add($"snapshot {name}: size", codec.ToString(), encoded.Length / 1e6, "MB");
            report.Add($"snapshot {name}: encode", codec.ToString(), rawBytes / 1e6 / seconds, "MB/s");
        }

        using var hash = new SpikeTrainHash();
        var section = EngineStateCodec.Encode(state, SnapshotCodec.Brotli);
        var (_, file) = RunSnapshot.Build("bench", spec.ToJson(), "bench", state.Tick, hash, SnapshotCodec.Brotli, [(state.Lo, state.Hi, section)]);
        var folder = Path.Combine(Path.GetTempPath(), $"neuromesh-bench-snap-{Guid.NewGuid():N}");
        try
        {
            var store = new DirectorySnapshotStore(folder);
            clock.Restart();
            store.SaveAsync("bench", state.Tick, file).GetAwaiter().GetResult();
            report.Add($"snapshot {name}: write (fsync)", "directory", file.Length / 1e6 / clock.Elapsed.TotalSeconds, "MB/s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        using var fresh = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        clock.Restart();
        fresh.ImportState(RunSnapshot.Parse(file).DecodeState());
        report.Add($"snapshot {name}: restore (parse, decode, import)", "CpuEngine", clock.Elapsed.TotalMilliseconds, "ms");
        Console.Error.WriteLine($"deltalog: snapshot of {name}: {rawBytes / 1e6:0.00} MB raw, file {file.Length / 1e6:0.00} MB");
    }

    /// <summary>Runs CUBA for <paramref name="seconds"/> on one embedded silo, then rebuilds it to its last checkpoint.</summary>
    private static async Task<(double FromSnapshot, double? FromStart, long KeptBytes, long AllBytes)> RecoveryAsync(
        BenchmarkReport report, NetworkSpec cuba, double seconds, bool fromStart)
    {
        var spec = cuba with { Duration = seconds * 1000 };
        var data = Directory.CreateTempSubdirectory("neuromesh-bench-recovery-");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["NeuroMesh:DeltaLog:Path"] = Path.Combine(data.FullName, "log.db"),
                ["NeuroMesh:Snapshots:Keep"] = "0", // every snapshot kept, to measure what retention saves
            };
            await using var cluster = await EmbeddedCluster.StartAsync(1, settings, CancellationToken.None);
            var id = $"recovery-{seconds:0.#}s";
            var run = cluster.Grains.GetGrain<ISimulationGrain>(id);
            var status = await run.Deploy(spec.ToJson(), 1);
            var clock = Stopwatch.StartNew();
            while (status.Phase != RunPhase.Finished)
            {
                status = await run.Step(SimulationGrain.Window);
            }

            var label = $"{seconds:0.#} s run";
            report.Add($"recovery, {label}: the run itself", "NeuroMesh", clock.Elapsed.TotalSeconds, "s");
            var replay = await run.Replay();
            report.Add($"recovery, {label}: from the latest snapshot", "NeuroMesh", replay.WallSeconds, "s");
            double? full = null;
            if (fromStart)
            {
                full = (await run.Replay(fromSnapshot: false)).WallSeconds;
                report.Add($"recovery, {label}: from tick 0", "NeuroMesh", full.Value, "s");
            }

            var store = new DirectorySnapshotStore(Path.Combine(data.FullName, "snapshots"));
            var ticks = await store.ListAsync(id);
            var folder = Path.Combine(store.Root, Uri.EscapeDataString(id));
            var sizes = ticks.Select(t => new FileInfo(Path.Combine(folder, $"{t:D12}.nmsnap")).Length).ToArray();
            var (all, kept) = (sizes.Sum(), sizes.TakeLast(2).Sum());
            report.Add($"log, {label}: snapshot store, every snapshot", "NeuroMesh", all / 1e6, "MB");
            report.Add($"log, {label}: snapshot store, Keep = 2", "NeuroMesh", kept / 1e6, "MB");
            var log = new[] { "log.db", "log.db-wal" }.Select(f => new FileInfo(Path.Combine(data.FullName, f))).Where(f => f.Exists).Sum(f => f.Length);
            report.Add($"log, {label}: delta log with its WAL (not truncated)", "SQLite", log / 1e6, "MB");
            Console.Error.WriteLine($"deltalog: {label}: {ticks.Count} snapshots, replay from tick {replay.FromTick} verified {replay.Verified.Count} checkpoint(s)");
            return (replay.WallSeconds, full, kept, all);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }
}
