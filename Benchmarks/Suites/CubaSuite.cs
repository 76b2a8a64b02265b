using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// 1 s of the Vogels &amp; Abbott CUBA network (examples/cuba.json): our engine on one thread and on all cores, and
/// Brian2's C++ standalone and numpy runtimes (the reference script), all in one run; then the same network scaled
/// to 40,000 neurons at the same connection probability. Wall times are of the simulation loop only.
/// </summary>
public sealed class CubaSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "cuba";

    /// <inheritdoc />
    public string Description => "1 s of CUBA (4000 and 40,000 neurons): ours on 1 thread and all cores vs Brian2 standalone and numpy";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var root = RepositoryRoot();
        var script = Path.GetFullPath(Path.Combine(root, "..", "shared", "reference", "brian2_cuba.py"));
        if (!File.Exists(script))
        {
            Console.Error.WriteLine($"cuba: the Brian2 reference script is missing: expected {script} (../shared/reference/brian2_cuba.py relative to the repository root)");
            Environment.Exit(2);
        }

        var repeats = options.Quick ? 1 : 3;
        var report = new BenchmarkReport(Name);
        report.Add("conditions", "loadavg_1min_at_start", LoadAverage(), "load");
        var cuba = NetworkSpec.Load(Path.Combine(root, "examples", "cuba.json"));
        var cores = Environment.ProcessorCount;

        var one = TimeOurs(report, "cuba_4000", "ours_1_thread", cuba, cuba, 1, repeats);
        var all = TimeOurs(report, "cuba_4000", $"ours_{cores}_threads", cuba, cuba, cores, repeats);
        var forced = options.Quick ? default : TimeOurs(report, "cuba_4000", $"ours_{cores}_threads_forced_parallel", cuba, cuba, cores, repeats, adaptive: false);
        if (!options.Quick)
        {
            report.Add("cuba_4000", "hash_identical_forced_parallel", forced.Hash == one.Hash ? 1 : 0, "bool");
        }

        report.Add("cuba_4000", "hash_identical_1_vs_all_threads", one.Hash == all.Hash ? 1 : 0, "bool");
        var standalone = TimeBrian(report, "cuba_4000", "standalone", script, 4000);
        var numpy = TimeBrian(report, "cuba_4000", "numpy", script, 4000);
        report.Ratios["ours_vs_brian2_standalone"] = all.Seconds / standalone;
        report.Ratios["ours_1_thread_vs_brian2_standalone"] = one.Seconds / standalone;
        if (!options.Quick)
        {
            report.Ratios["ours_forced_parallel_vs_brian2_standalone"] = forced.Seconds / standalone;
        }

        report.Ratios["ours_vs_brian2_numpy"] = all.Seconds / numpy;
        report.Ratios["speedup_vs_brian2_numpy"] = numpy / all.Seconds;

        var big = Scale(cuba, 10);
        var bigOne = TimeOurs(report, "cuba_40000", "ours_1_thread", big, cuba, 1, 1);
        var bigAll = TimeOurs(report, "cuba_40000", $"ours_{cores}_threads", big, cuba, cores, 1);
        report.Add("cuba_40000", "hash_identical_1_vs_all_threads", bigOne.Hash == bigAll.Hash ? 1 : 0, "bool");
        if (!options.Quick)
        {
            var bigForced = TimeOurs(report, "cuba_40000", $"ours_{cores}_threads_forced_parallel", big, cuba, cores, 1, adaptive: false);
            report.Add("cuba_40000", "hash_identical_forced_parallel", bigForced.Hash == bigOne.Hash ? 1 : 0, "bool");
            var bigStandalone = TimeBrian(report, "cuba_40000", "standalone", script, 40000);
            report.Ratios["ours_vs_brian2_standalone_40000"] = bigAll.Seconds / bigStandalone;
        }

        TimeSilos(report, cuba, one.Hash, options.Quick);
        report.Add("conditions", "loadavg_1min_at_end", LoadAverage(), "load");
        return report;
    }

    internal static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private static (double Seconds, string Hash) TimeOurs(BenchmarkReport report, string @case, string impl, NetworkSpec spec, NetworkSpec warmUp, int threads, int repeats, bool adaptive = true)
    {
        var options = new EngineOptions { Threads = threads, AdaptiveParallelism = adaptive };
        using (var warm = new CpuEngine(warmUp, options))
        {
            warm.Run(2000); // JIT warm-up of the same code paths on a throwaway engine
        }

        var times = new List<double>();
        RunResult? last = null;
        var synapses = 0L;
        var parallel = 0.0;
        for (var r = 0; r < repeats; r++)
        {
            using var engine = new CpuEngine(spec, options);
            synapses = engine.SynapseCount;
            last = engine.Run(spec.TotalTicks);
            times.Add(last.WallTime.TotalSeconds);
            parallel = engine.ParallelWindowFraction;
        }

        times.Sort();
        var median = times[times.Count / 2];
        report.Add(@case, impl, median, "s");
        report.Add(@case + "_rate", impl, last!.MeanRateHz(), "Hz");
        report.Add(@case + "_synapses", impl, synapses, "synapses");
        if (threads > 1)
        {
            report.Add(@case + "_parallel_windows", impl, parallel, "fraction");
        }
        return (median, last.SpikeTrainHash);
    }

    /// <summary>
    /// The same second of CUBA as a simulation run on an embedded cluster of 1, 2 and 3 silos in this process, in
    /// lockstep over the spike streams and over grain calls (CUBA has no delays, so the silos exchange every tick): wall time of the run
    /// (placement, engine build and every checkpoint included), real-time factor and whether the hash equals one engine's.
    /// </summary>
    private static void TimeSilos(BenchmarkReport report, NetworkSpec cuba, string engineHash, bool quick)
    {
        var spec = quick ? cuba with { Duration = 100 } : cuba;
        var expected = engineHash;
        if (quick)
        {
            using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
            expected = engine.Run(spec.TotalTicks).SpikeTrainHash;
        }

        var data = Directory.CreateTempSubdirectory("neuromesh-cuba-silos-");
        try
        {
            // Warm-up: JIT the silo, grain and shard paths on a throwaway 2-silo cluster, so the 1-silo case is not charged for it.
            _ = RunOnCluster(spec with { Duration = 5 }, 2, new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(data.FullName, "warm-up.db") }).GetAwaiter().GetResult();
            var seconds = new Dictionary<(int, string), double>();
            foreach (var (silos, transport) in new[] { (1, "Push"), (2, "Push"), (3, "Push"), (2, "Calls"), (3, "Calls"), (2, "Streams"), (3, "Streams") })
            {
                Console.Error.WriteLine($"  running CUBA on {silos} silo(s) over {transport}...");
                var settings = new Dictionary<string, string?>
                {
                    ["NeuroMesh:DeltaLog:Path"] = Path.Combine(data.FullName, $"deltalog-{silos}-{transport}.db"),
                    ["NeuroMesh:Cluster:EngineThreads"] = Math.Max(1, Environment.ProcessorCount / silos).ToString(CultureInfo.InvariantCulture),
                    ["NeuroMesh:Cluster:LockstepTransport"] = transport,
                };
                var (wall, status, shards) = RunOnCluster(spec, silos, settings).GetAwaiter().GetResult();
                seconds[(silos, transport)] = wall;
                var simulated = spec.TotalTicks * spec.Dt / 1000.0;
                var @case = quick ? "cuba_4000_100ms_lockstep" : "cuba_4000_lockstep";
                var impl = silos == 1 ? "ours_1_silo" : $"ours_{silos}_silos_{transport.ToLowerInvariant()}";
                report.Add(@case, impl, wall, "s");
                report.Add(@case + "_realtime_factor", impl, wall / simulated, "x");
                if (silos > 1)
                {
                    // What a window costs beyond computing it: the wait for peers plus sending, per window (mean, and each
                    // shard's p50/p99 from its histogram, averaged over the shards).
                    var exchange = shards.Average(s => (s.WaitSeconds + s.SendSeconds) / Math.Max(1, s.Windows));
                    report.Add(@case + "_window_exchange_mean", impl, exchange * 1e6, "us");
                    report.Add(@case + "_window_exchange_p50", impl, shards.Average(s => s.ExchangeP50Micros), "us");
                    report.Add(@case + "_window_exchange_p99", impl, shards.Average(s => s.ExchangeP99Micros), "us");
                    if (transport == "Push" && silos == 2)
                    {
                        report.Ratios["lockstep_window_p50_us"] = shards.Average(s => s.ExchangeP50Micros);
                        report.Ratios["lockstep_window_p99_us"] = shards.Average(s => s.ExchangeP99Micros);
                    }
                }

                report.Add(@case + "_window", impl, status.WindowTicks, "ticks");
                report.Add(@case + "_hash_equals_one_engine", impl, status.SpikeTrainHash == expected ? 1 : 0, "bool");
            }

            // The default transport (Push) against one silo, in the same run.
            report.Ratios["lockstep_2silos_vs_1silo"] = seconds[(2, "Push")] / seconds[(1, "Push")];
            report.Ratios["lockstep_3silos_vs_1silo"] = seconds[(3, "Push")] / seconds[(1, "Push")];
            report.Ratios["lockstep_3silos_calls_vs_1silo"] = seconds[(3, "Calls")] / seconds[(1, "Push")];
            report.Ratios["lockstep_3silos_streams_vs_1silo"] = seconds[(3, "Streams")] / seconds[(1, "Push")];
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<(double Seconds, Simulation.RunStatus Status, IReadOnlyList<Simulation.ShardInfo> Shards)> RunOnCluster(NetworkSpec spec, int silos, Dictionary<string, string?> settings)
    {
        await using var cluster = await Hosting.EmbeddedCluster.StartAsync(silos, settings, CancellationToken.None);
        var run = cluster.Grains.GetGrain<Simulation.ISimulationGrain>($"bench-cuba-{silos}-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        var status = await run.Deploy(spec.ToJson(), silos);
        while (status.Phase != Simulation.RunPhase.Finished)
        {
            status = await run.Step(Simulation.SimulationGrain.Window);
        }

        var wall = clock.Elapsed.TotalSeconds;
        return (wall, status, silos > 1 ? await run.GetShards() : []);
    }

    private static double TimeBrian(BenchmarkReport report, string @case, string mode, string script, int neurons)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"neuromesh_brian2_{mode}_{neurons}");
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { script, "--mode", mode, "--seed", "1", "--duration", "1.0", "--neurons", neurons.ToString(CultureInfo.InvariantCulture), "--dir", dir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Console.Error.WriteLine($"  running Brian2 {mode} ({neurons} neurons)...");
        string output;
        try
        {
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
            var stderr = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Brian2 {mode} exited with {process.ExitCode}: {stderr.Result.Trim()} (install it with: apt-get install -y python3-brian)");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("/usr/bin/python3 is needed for the Brian2 peers (apt-get install -y python3-brian)", e);
        }

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        using var json = JsonDocument.Parse(line);
        var seconds = json.RootElement.GetProperty("loop_s").GetDouble();
        report.Add(@case, "brian2_" + mode, seconds, "s");
        report.Add(@case + "_rate", "brian2_" + mode, json.RootElement.GetProperty("rate_hz").GetDouble(), "Hz");
        return seconds;
    }

    /// <summary>The same network with <paramref name="factor"/> times as many neurons at the same connection probability.</summary>
    private static NetworkSpec Scale(NetworkSpec spec, int factor)
        => spec with { Populations = [.. spec.Populations.Select(p => p with { Size = p.Size * factor })] };

    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "examples", "cuba.json")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("examples/cuba.json not found above the working directory; run from the repository");
    }
}
