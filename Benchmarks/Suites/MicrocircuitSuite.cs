using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The Potjans &amp; Diesmann (2014) cortical microcircuit (<c>examples/microcircuit.json</c>) at reduced scale (every
/// population scaled, in-degrees kept: the full 0.3 billion synapses do not fit in this machine's memory). Per scale,
/// each in a process of its own so that its peak memory is its own: our CpuEngine (build, then 1 s simulated: real-time
/// factor, core-seconds per simulated second, peak resident memory, per-population rates), the same process with the
/// synapses and stimuli taken out (the baseline the bytes per synapse are measured above), and Brian2 2.5.1's C++
/// standalone mode on the same spec (<c>brian2_validate.py --network microcircuit</c>: its loop time and peak memory).
/// </summary>
public sealed class MicrocircuitSuite : IBenchmarkSuite
{
    /// <summary>The verb of this program's child process that runs one scaled microcircuit on CpuEngine.</summary>
    public const string Verb = "microcircuit-child";

    private const double DurationMs = 1000;

    /// <inheritdoc />
    public string Name => "microcircuit";

    /// <inheritdoc />
    public string Description => "Potjans & Diesmann microcircuit at reduced scale: speed, memory and rates, ours vs Brian2 standalone";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var report = new BenchmarkReport(Name);
        report.Add("conditions", "loadavg_1min_at_start", CubaSuite.LoadAverage(), "load");
        var root = CubaSuite.RepositoryRoot();
        var script = Path.Combine(root, "Tests", "Fixtures", "brian2", "brian2_validate.py");
        var full = NetworkSpec.Load(Path.Combine(root, "examples", "microcircuit.json"));
        double[] scales = options.Quick ? [0.02] : [0.05, 0.1];
        var work = Directory.CreateTempSubdirectory("neuromesh-microcircuit-");
        try
        {
            foreach (var scale in scales)
            {
                var spec = full.WithPopulationsScaled(scale) with { Duration = DurationMs };
                var label = $"microcircuit {scale:P0}";
                var path = Path.Combine(work.FullName, $"mc-{scale}.json");
                File.WriteAllText(path, spec.ToJson());
                var empty = Path.Combine(work.FullName, $"mc-{scale}-empty.json");
                File.WriteAllText(empty, (spec with { Projections = [], Stimuli = [] }).ToJson());
                Console.Error.WriteLine($"microcircuit: {scale:P0}: {spec.NeuronCount:N0} neurons, ours...");
                var ours = Child(path);
                var baseline = Child(empty);
                var synapses = ours.GetProperty("synapses").GetInt64();
                var threads = ours.GetProperty("threads").GetInt32();
                var run = ours.GetProperty("run_s").GetDouble();
                var simulated = DurationMs / 1000;
                var peak = ours.GetProperty("peak_rss_bytes").GetDouble();
                var basePeak = baseline.GetProperty("peak_rss_bytes").GetDouble();
                report.Add($"{label}: neurons", "spec", spec.NeuronCount, "neurons");
                report.Add($"{label}: synapses", "spec", synapses, "synapses");
                report.Add($"{label}: build", "CpuEngine", ours.GetProperty("build_s").GetDouble(), "s");
                report.Add($"{label}: 1 s simulated", "CpuEngine", run, "s");
                report.Add($"{label}: real-time factor", "CpuEngine", run / simulated, "x");
                report.Add($"{label}: core-seconds per simulated second", "CpuEngine", run * threads / simulated, "core-s");
                report.Add($"{label}: peak resident", "CpuEngine", peak / 1e6, "MB");
                report.Add($"{label}: peak resident, synapses and stimuli taken out", "CpuEngine", basePeak / 1e6, "MB");
                report.Add($"{label}: peak bytes per synapse (above that)", "CpuEngine", (peak - basePeak) / synapses, "B");
                report.Add($"{label}: resident after the run, per synapse (above that)", "CpuEngine",
                    (ours.GetProperty("rss_after_bytes").GetDouble() - baseline.GetProperty("rss_after_bytes").GetDouble()) / synapses, "B");
                foreach (var p in ours.GetProperty("rates_hz").EnumerateObject())
                {
                    report.Add($"{label}: rate {p.Name}", "CpuEngine", p.Value.GetDouble(), "Hz");
                }

                var key = (scale * 100).ToString("0", CultureInfo.InvariantCulture);
                report.Ratios[$"microcircuit_{key}pct_core_seconds_per_sim_second"] = run * threads / simulated;
                report.Ratios[$"microcircuit_{key}pct_peak_bytes_per_synapse"] = (peak - basePeak) / synapses;
                if (!File.Exists("/usr/bin/python3") || !File.Exists(script) || !File.Exists("/usr/bin/time"))
                {
                    Console.Error.WriteLine("microcircuit: Brian2 needs /usr/bin/python3 with python3-brian, g++, /usr/bin/time and " + script);
                    continue;
                }

                Console.Error.WriteLine($"microcircuit: {scale:P0}: Brian2 standalone (compiles first)...");
                var (brian, brianPeak) = Brian(script, scale, Path.Combine(work.FullName, $"b2-{scale}"));
                var loop = brian.GetProperty("loop_s").GetDouble();
                report.Add($"{label}: 1 s simulated", "Brian2 2.5.1 standalone", loop, "s");
                report.Add($"{label}: real-time factor", "Brian2 2.5.1 standalone", loop / simulated, "x");
                report.Add($"{label}: peak resident (whole python process)", "Brian2 2.5.1 standalone", brianPeak / 1e6, "MB");
                foreach (var p in brian.GetProperty("populations").EnumerateObject())
                {
                    report.Add($"{label}: rate {p.Name}", "Brian2 2.5.1 standalone", p.Value.GetProperty("rate_hz").GetDouble(), "Hz");
                }

                report.Ratios[$"microcircuit_{key}pct_ours_vs_brian2_standalone"] = run / loop;
                report.Ratios[$"microcircuit_{key}pct_peak_rss_vs_brian2"] = peak / brianPeak;
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        report.Add("conditions", "loadavg_1min_at_end", CubaSuite.LoadAverage(), "load");
        return report;
    }

    /// <summary>The child process: builds the spec at <c>args[0]</c> on CpuEngine, runs it, prints one JSON line.</summary>
    public static int RunChild(ReadOnlySpan<string> args)
    {
        var spec = NetworkSpec.Load(args[0]);
        var clock = Stopwatch.StartNew();
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = Environment.ProcessorCount });
        var build = clock.Elapsed.TotalSeconds;
        var result = engine.Run(spec.TotalTicks);
        var offsets = spec.PopulationOffsets();
        var warmup = (long)Math.Round(200 / spec.Dt);
        var rates = spec.Populations.Select((p, i) => (p.Name, result.Population(offsets[i], p.Size, warmup, (long)Math.Round(100 / spec.Dt)).RateHz))
            .ToDictionary(r => r.Name, r => r.RateHz);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["synapses"] = engine.SynapseCount,
            ["threads"] = engine.Threads,
            ["build_s"] = build,
            ["run_s"] = result.WallTime.TotalSeconds,
            ["peak_rss_bytes"] = ProcStatus("VmHWM"),
            ["rss_after_bytes"] = ProcStatus("VmRSS"),
            ["rates_hz"] = rates,
        }));
        return 0;
    }

    /// <summary>A memory figure of this process from /proc/self/status, in bytes.</summary>
    private static long ProcStatus(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    private static JsonElement Child(string specPath)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { typeof(MicrocircuitSuite).Assembly.Location, Verb, specPath })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the microcircuit child");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"microcircuit child on {specPath} exited {process.ExitCode}: {stderr.Result}");
        }

        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    private static (JsonElement Result, double PeakBytes) Brian(string script, double scale, string directory)
    {
        var info = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "-f", "peak_rss_kb %M", "/usr/bin/python3", script, "--network", "microcircuit", "--scale", scale.ToString(CultureInfo.InvariantCulture),
            "--duration", DurationMs.ToString(CultureInfo.InvariantCulture), "--warmup", "200", "--dir", directory,
        ];
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/time");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"brian2_validate.py microcircuit at {scale}: {stderr.Result}");
        }

        var peakLine = stderr.Result.Split('\n').Last(l => l.StartsWith("peak_rss_kb ", StringComparison.Ordinal));
        var peak = double.Parse(peakLine["peak_rss_kb ".Length..], CultureInfo.InvariantCulture) * 1024;
        return (JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone(), peak);
    }
}
