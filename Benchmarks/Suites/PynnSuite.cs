using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroMesh.Benchmarks.Harness;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The PyNN front end's cost, same run: <c>examples/python/pynn_cuba.py</c> (Vogels–Abbott CUBA as a PyNN script)
/// unchanged on <c>pyNN.neuromesh</c> (an embedded one-silo node, started by the script), <c>pyNN.brian2</c> on its
/// default runtime target and on <c>cpp_standalone</c>, and <c>pyNN.neuron</c>. Each is its own process; the script
/// reports its build time (setup to the end of network construction) and run time (<c>sim.run</c>, deploy included on
/// neuromesh) apart. Ratio <c>pynn_neuromesh_vs_brian2</c>: neuromesh's build + run over Brian2 runtime's.
/// Full: 1000 cells, 1000 ms, seed 1; <c>--quick</c>: 500 cells, 200 ms.
/// </summary>
public sealed class PynnSuite : IBenchmarkSuite
{
    private static readonly (string Impl, string Simulator, string[] Extra)[] Peers =
    [
        ("neuromesh", "neuromesh", []),
        ("brian2_runtime", "brian2", []),
        ("brian2_cpp_standalone", "brian2", ["--brian2-device", "cpp_standalone"]),
        ("neuron", "neuron", []),
    ];

    /// <inheritdoc />
    public string Name => "pynn";

    /// <inheritdoc />
    public string Description => "the CUBA PyNN script: pyNN.neuromesh vs pyNN.brian2 (runtime, standalone), NEURON";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var root = CubaSuite.RepositoryRoot();
        var silo = Path.Combine(root, "Silo", "bin", "Release", "net10.0", "NeuroMesh.Silo.dll");
        if (!File.Exists("/usr/bin/python3") || !File.Exists(silo))
        {
            Console.Error.WriteLine($"pynn: needs /usr/bin/python3 (python3-pynn, python3-brian, python3-neuron with "
                + $"pyNN.neuron's mechanisms compiled, as ./test.sh does) and {silo} (dotnet build -c Release)");
            Environment.Exit(2);
        }

        var size = options.Quick ? 500 : 1000;
        var durationMs = options.Quick ? 200.0 : 1000.0;
        var report = new BenchmarkReport(Name);
        report.Add("conditions", "loadavg_1min_at_start", CubaSuite.LoadAverage(), "load");
        report.Add("conditions", "cells", size, "cells");
        report.Add("conditions", "duration", durationMs, "ms");
        var work = Directory.CreateTempSubdirectory("neuromesh-pynn-");
        try
        {
            var python = InstallPackage(root, work.FullName);
            var script = Path.Combine(root, "examples", "python", "pynn_cuba.py");
            var totals = new Dictionary<string, double>();
            foreach (var (impl, simulator, extra) in Peers)
            {
                Console.Error.WriteLine($"pynn: CUBA on {impl}, {size} cells, {durationMs} ms");
                var json = Path.Combine(work.FullName, impl + ".json");
                string[] args =
                [
                    script, "--simulator", simulator, "--size", $"{size}", "--duration", F(durationMs), "--seed", "1",
                    "--json", json, .. extra,
                ];
                var (code, output) = RunProcess(python, args, work.FullName, silo);
                if (code != 0)
                {
                    // A peer that cannot run is reported as such, never as a time.
                    Console.Error.WriteLine($"pynn: {impl} failed (exit {code}):\n{Tail(output)}");
                    report.Add("cuba_failed", impl, 1, "flag");
                    continue;
                }

                using var doc = JsonDocument.Parse(File.ReadAllText(json));
                var result = doc.RootElement;
                var build = result.GetProperty("build_s").GetDouble();
                var run = result.GetProperty("run_s").GetDouble();
                report.Add("cuba_build", impl, build, "s");
                report.Add("cuba_run", impl, run, "s");
                report.Add("cuba_total", impl, build + run, "s");
                report.Add("cuba_rate_E", impl, result.GetProperty("E").GetProperty("rate").GetDouble(), "Hz");
                totals[impl] = build + run;
            }

            foreach (var (impl, name) in new[]
            {
                ("brian2_runtime", "pynn_neuromesh_vs_brian2"),
                ("brian2_cpp_standalone", "pynn_neuromesh_vs_brian2_standalone"),
                ("neuron", "pynn_neuromesh_vs_neuron"),
            })
            {
                if (totals.TryGetValue("neuromesh", out var ours) && totals.TryGetValue(impl, out var theirs))
                {
                    report.Ratios[name] = ours / theirs;
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        report.Add("conditions", "loadavg_1min_at_end", CubaSuite.LoadAverage(), "load");
        return report;
    }

    /// <summary>
    /// Installs python/ offline into a throwaway venv that sees Debian's packages, as docs/python.md does; returns
    /// its python.
    /// </summary>
    private static string InstallPackage(string root, string work)
    {
        var venv = Path.Combine(work, "venv");
        var source = Path.Combine(work, "src");
        CopyTree(Path.Combine(root, "python"), source);
        foreach (var args in new[]
        {
            new[] { "-m", "venv", "--system-site-packages", "--without-pip", venv },
            ["-m", "pip", "--python", Path.Combine(venv, "bin", "python"), "install", "--no-deps",
                "--no-build-isolation", "--no-index", "--quiet", source],
        })
        {
            var (code, output) = RunProcess("/usr/bin/python3", args, work, silo: null);
            if (code != 0)
            {
                throw new InvalidOperationException($"installing python/ failed:\n{output}");
            }
        }

        return Path.Combine(venv, "bin", "python");
    }

    private static (int Code, string Output) RunProcess(string program, IEnumerable<string> args, string folder,
        string? silo)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("PYTHONPATH");
        info.Environment["MPLBACKEND"] = "Agg";
        if (silo is not null)
        {
            info.Environment["NEUROMESH_SILO"] = silo;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)
                .Any(p => p is "build" or "__pycache__" || p.EndsWith(".egg-info", StringComparison.Ordinal)))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string Tail(string output) => output.Length > 3000 ? output[^3000..] : output;

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
