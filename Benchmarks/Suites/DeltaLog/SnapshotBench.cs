using System.Diagnostics;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace NeuroMesh.Benchmarks.Suites.DeltaLog;

/// <summary>
/// Engine snapshots, in the deltalog suite's run. (1) Size, copy (the run's stall), encode per codec, write (fsync'd
/// file) and restore, for CUBA 4000 and Brunel 12,500 (15.6 M synapses; static, and with STDP on its 10 M E→E synapses) on CpuEngine. (2) Recovery time of a CUBA run of
/// 10.5 s and of 100.5 s of simulated time on an embedded silo: a rebuild to the last checkpoint from the latest snapshot
/// (what a recovery after a lost silo does), against a rebuild from tick 0; and the 100.5 s run again with the default
/// retention (K = 2, which also compacts the run's log) against keeping every snapshot: the delta log and store on disk.
/// </summary>
internal sealed class SnapshotBench(bool quick)
{
    public async Task RunAsync(BenchmarkReport report)
    {
        var root = CubaSuite.RepositoryRoot();
        Measure(report, "cuba 4000", NetworkSpec.Load(Path.Combine(root, "examples", "cuba.json")));
        if (!quick)
        {
            var brunel = NetworkSpec.Load(Path.Combine(root, "examples", "brunel.json"));
            Measure(report, "brunel 12500", brunel);

            // The same network with STDP on its 10 M E→E synapses: each plastic synapse adds its source, weight and
            // eligibility (16 bytes raw) to the state, so this is the snapshot whose copy stalls longest.
            var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.01, AMinus = 0.012, TauPlus = 20, TauMinus = 20, WMin = 0, WMax = 0.2 };
            Measure(report, "brunel 12500 stdp", brunel with
            {
                Projections = [.. brunel.Projections.Select(p => p.Name == "E_to_E" ? p with { Plasticity = stdp } : p)],
            });
        }

        var cuba = NetworkSpec.Load(Path.Combine(root, "examples", "cuba.json"));
        var (shortSeconds, longSeconds) = quick ? (2.5, 10.5) : (10.5, 100.5);
        var shortRun = await RecoveryAsync(report, cuba, shortSeconds, keep: 0, fromStart: false);
        var longRun = await RecoveryAsync(report, cuba, longSeconds, keep: 0, fromStart: true);
        var kept = await RecoveryAsync(report, cuba, longSeconds, keep: 2, fromStart: false);
        report.Ratios["recovery_100s_vs_10s"] = longRun.FromSnapshot / shortRun.FromSnapshot;
        report.Ratios["recovery_vs_full_replay_100s"] = longRun.FromSnapshot / longRun.FromStart!.Value;
        report.Ratios["log_keep2_vs_keep_all_100s"] = kept.LogAndStoreBytes / (double)longRun.LogAndStoreBytes;
    }

    private static void Measure(BenchmarkReport report, string name, NetworkSpec spec)
    {
        var clock = Stopwatch.StartNew();
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        report.Add($"snapshot {name}: build", "CpuEngine", clock.Elapsed.TotalSeconds, "s");
        engine.Run(2000);

        // The stall: the copy the shard makes before it goes on (best of 5); then the state is assembled from that copy off
        // the tick loop (the plastic synapses gathered into the state's order), as a shard does on the thread pool.
        var copies = new List<double>();
        var assembles = new List<double>();
        EngineState state = null!;
        for (var i = 0; i < 5; i++)
        {
            clock.Restart();
            var capture = engine.CaptureState();
            copies.Add(clock.Elapsed.TotalMilliseconds * 1000);
            clock.Restart();
            state = capture();
            assembles.Add(clock.Elapsed.TotalMilliseconds * 1000);
        }

        report.Add($"snapshot {name}: copy (stall)", "CpuEngine", copies.Min(), "us");
        report.Add($"snapshot {name}: assemble (off the tick loop)", "CpuEngine", assembles.Min(), "us");
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

    /// <summary>
    /// Runs CUBA for <paramref name="seconds"/> on one embedded silo keeping <paramref name="keep"/> snapshots (0: all), then
    /// rebuilds it to its last checkpoint from its latest snapshot (best of 3) and, with <paramref name="fromStart"/>, from tick 0.
    /// </summary>
    private static async Task<(double FromSnapshot, double? FromStart, long LogAndStoreBytes)> RecoveryAsync(
        BenchmarkReport report, NetworkSpec cuba, double seconds, int keep, bool fromStart)
    {
        var spec = cuba with { Duration = seconds * 1000 };
        var data = Directory.CreateTempSubdirectory("neuromesh-bench-recovery-");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["NeuroMesh:DeltaLog:Path"] = Path.Combine(data.FullName, "log.db"),
                ["NeuroMesh:Snapshots:Keep"] = keep.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var id = $"recovery-{seconds:0.#}s";
            var label = $"{seconds:0.#} s run, Keep = {(keep == 0 ? "all" : keep)}";
            double best;
            double? full = null;
            await using (var cluster = await EmbeddedCluster.StartAsync(1, settings, CancellationToken.None))
            {
                var run = cluster.Grains.GetGrain<ISimulationGrain>(id);
                var status = await run.Deploy(spec.ToJson(), 1);
                var clock = Stopwatch.StartNew();
                while (status.Phase != RunPhase.Finished)
                {
                    status = await run.Step(SimulationGrain.Window);
                }

                report.Add($"recovery, {label}: the run itself", "NeuroMesh", clock.Elapsed.TotalSeconds, "s");
                var replays = new List<ReplayReport>();
                for (var i = 0; i < 3; i++)
                {
                    replays.Add(await run.Replay());
                }

                best = replays.Min(r => r.WallSeconds);
                report.Add($"recovery, {label}: from the latest snapshot (best of 3)", "NeuroMesh", best, "s");
                if (fromStart)
                {
                    full = (await run.Replay(fromSnapshot: false)).WallSeconds;
                    report.Add($"recovery, {label}: from tick 0", "NeuroMesh", full.Value, "s");
                }

                var stream = (await cluster.Services[0].GetRequiredService<Persistence.IDeltaLogStore>().GetStreamAsync(run.GetGrainId().ToString()))!;
                report.Add($"log, {label}: the run's events held", "SQLite", stream.Version - stream.TruncatedThrough, "events");
                Console.Error.WriteLine($"deltalog: {label}: {status.Snapshots} snapshots logged, replay from tick {replays[0].FromTick} verified {replays[0].Verified.Count} checkpoint(s); log version {stream.Version}, truncated through {stream.TruncatedThrough}");
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var store = new DirectorySnapshotStore(Path.Combine(data.FullName, "snapshots"));
            var snapshotBytes = await store.SizeAsync(id);
            var log = UsedBytes(Path.Combine(data.FullName, "log.db"));
            report.Add($"log, {label}: snapshot store", "NeuroMesh", snapshotBytes / 1e6, "MB");
            report.Add($"log, {label}: delta log in use (pages minus free pages, every grain)", "SQLite", log / 1e6, "MB");
            return (best, full, snapshotBytes + log);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    /// <summary>The bytes a SQLite file holds in use: deleted rows free pages but do not shrink the file.</summary>
    private static long UsedBytes(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        using var used = connection.CreateCommand();
        used.CommandText = "SELECT (p.page_count - f.freelist_count) * s.page_size FROM pragma_page_count() p, pragma_freelist_count() f, pragma_page_size() s";
        return Convert.ToInt64(used.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
