using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The validation table: each network of <c>Tests/Fixtures/brian2/brian2_validate.py</c> (the four Brunel 2000 regimes
/// at 12,500 neurons, Vogels–Abbott COBA, the distributed-delay network) on our CpuEngine and on Brian2 2.5.1's C++
/// standalone mode, both live, over seeds 1–5; per population the mean rate, ISI CV, fraction firing and spike-count
/// Fano factor of each, and their ratio (ours / Brian2). Full runs: 1100 ms (400 ms for SR), the first 100 ms left out.
/// <c>--quick</c> runs the short versions the tests use (300 ms, SI slow 1100 ms; Brunel at 4000 + 1000 neurons,
/// in-degrees kept).
/// </summary>
public sealed class ValidateSuite : IBenchmarkSuite
{
    private static readonly (string Network, string Spec)[] Networks =
    [
        ("brunel_sr", "brunel_sr.json"), ("brunel_ai", "brunel.json"), ("brunel_si_fast", "brunel_si_fast.json"),
        ("brunel_si_slow", "brunel_si_slow.json"), ("coba", "coba.json"), ("delays", "delta_delays.json"),
    ];

    private static readonly string[] Statistics = ["rate_hz", "cv_isi", "fraction_firing", "fano"];

    /// <inheritdoc />
    public string Name => "validate";

    /// <inheritdoc />
    public string Description => "rate, ISI CV, fraction firing, Fano factor per population: ours vs Brian2 (5 seeds)";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var root = CubaSuite.RepositoryRoot();
        var script = Path.Combine(root, "Tests", "Fixtures", "brian2", "brian2_validate.py");
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script))
        {
            Console.Error.WriteLine($"validate: needs /usr/bin/python3 with python3-brian and {script}");
            Environment.Exit(2);
        }

        double warmupMs = 100, binMs = 50;
        var report = new BenchmarkReport(Name);
        report.Add("conditions", "loadavg_1min_at_start", CubaSuite.LoadAverage(), "load");
        report.Add("conditions", "warmup_ms", warmupMs, "ms");
        report.Add("conditions", "fano_bin_ms", binMs, "ms");
        report.Add("conditions", "seeds", 5, "seeds");
        var build = Directory.CreateTempSubdirectory("neuromesh-validate-");
        try
        {
            foreach (var (network, file) in Networks)
            {
                // SR fires at 312 Hz: Brian2 needs minutes per simulated second at 12,500 neurons, so its full run is
                // shorter (it is stationary after the warm-up). The short versions are the tests' (SI slow: 1100 ms).
                var durationMs = options.Quick
                    ? network == "brunel_si_slow" ? 1100 : 300
                    : network == "brunel_sr" ? 400 : 1100;
                var spec = NetworkSpec.Load(Path.Combine(root, "examples", file)) with { Duration = durationMs };
                if (options.Quick && network.StartsWith("brunel", StringComparison.Ordinal))
                {
                    spec = spec with
                    {
                        Populations = [.. spec.Populations.Select(p => p with { Size = p.Name == "E" ? 4000 : 1000 })],
                    };
                }

                Console.Error.WriteLine($"validate: {network}, {spec.NeuronCount:N0} neurons, {durationMs} ms");
                var ours = Ours(spec, warmupMs, binMs, out var oursLoop);
                var brian = Brian(script, network, spec, durationMs, warmupMs, binMs,
                    Path.Combine(build.FullName, network), out var brianLoop);
                foreach (var population in spec.Populations.Select(p => p.Name))
                {
                    for (var k = 0; k < Statistics.Length; k++)
                    {
                        var @case = $"{network}_{population}_{Statistics[k]}";
                        report.Add(@case, "ours", ours[population][k], Unit(Statistics[k]));
                        report.Add(@case, "brian2", brian[population][k], Unit(Statistics[k]));
                        report.Ratios[$"{@case}_ours_vs_brian2"] = ours[population][k] / brian[population][k];
                    }
                }

                report.Add($"{network}_duration", "both", durationMs, "ms");
                report.Add($"{network}_loop_mean", "ours_all_cores", oursLoop, "s");
                report.Add($"{network}_loop_mean", "brian2_standalone", brianLoop, "s");
            }
        }
        finally
        {
            build.Delete(recursive: true);
        }

        report.Add("conditions", "loadavg_1min_at_end", CubaSuite.LoadAverage(), "load");
        return report;
    }

    private static string Unit(string statistic) => statistic switch
    {
        "rate_hz" => "Hz",
        "fraction_firing" => "fraction",
        _ => "ratio",
    };

    /// <summary>Our engine over seeds 1–5 (all cores): the mean per population of each statistic, and of the loop time.
    /// </summary>
    private static Dictionary<string, double[]> Ours(NetworkSpec spec, double warmupMs, double binMs, out double loop)
    {
        var offsets = spec.PopulationOffsets();
        var sums = spec.Populations.ToDictionary(p => p.Name, _ => new double[Statistics.Length]);
        loop = 0;
        for (ulong seed = 1; seed <= 5; seed++)
        {
            using var engine = new CpuEngine(spec, new EngineOptions { Seed = seed });
            var result = engine.Run(spec.TotalTicks);
            loop += result.WallTime.TotalSeconds / 5;
            for (var p = 0; p < spec.Populations.Count; p++)
            {
                var s = result.Population(offsets[p], spec.Populations[p].Size, (long)Math.Round(warmupMs / spec.Dt),
                    (long)Math.Round(binMs / spec.Dt));
                var sum = sums[spec.Populations[p].Name];
                sum[0] += s.RateHz / 5;
                sum[1] += s.CvIsi / 5;
                sum[2] += s.FractionFiring / 5;
                sum[3] += s.Fano / 5;
            }
        }

        return sums;
    }

    /// <summary>Brian2 standalone over seeds 1–5, one process at a time, one build directory per network.</summary>
    private static Dictionary<string, double[]> Brian(string script, string network, NetworkSpec spec,
        double durationMs, double warmupMs, double binMs, string directory, out double loop)
    {
        var sums = spec.Populations.ToDictionary(p => p.Name, _ => new double[Statistics.Length]);
        loop = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var info = new ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] args =
            [
                script, "--network", network, "--seed", $"{seed}", "--duration", F(durationMs), "--warmup", F(warmupMs),
                "--bin", F(binMs), "--dir", directory,
            ];
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            if (network.StartsWith("brunel", StringComparison.Ordinal))
            {
                info.ArgumentList.Add("--sizes");
                info.ArgumentList.Add(string.Join(',', spec.Populations.Select(p => p.Size)));
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start python3");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"brian2_validate.py {network} seed {seed}: {stderr.Result}");
            }

            using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            loop += doc.RootElement.GetProperty("loop_s").GetDouble() / 5;
            foreach (var p in doc.RootElement.GetProperty("populations").EnumerateObject())
            {
                for (var k = 0; k < Statistics.Length; k++)
                {
                    sums[p.Name][k] += p.Value.GetProperty(Statistics[k]).GetDouble() / 5;
                }
            }
        }

        return sums;
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
