using System.Globalization;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.Chaos;
using NeuroMesh.Network;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The chaos soak (<see cref="ChaosSoak"/>): 3 silo processes on PostgreSQL (<c>NEUROMESH_BENCH_POSTGRES</c>, a server
/// you started) under back-to-back lockstep CUBA runs (examples/cuba.json, 500 ms of network time each) for
/// <c>NEUROMESH_CHAOS_MINUTES</c> minutes (default 10; 2 with --quick) while a schedule seeded by
/// <c>NEUROMESH_CHAOS_SEED</c> (default 22) kills and restarts, or pauses and continues, one silo at a time. The table
/// gives faults by kind, recovery times, runs and the invariants (1 = held); the ratios the fraction of each that held.
/// </summary>
public sealed class ChaosSuite : IBenchmarkSuite
{
    /// <summary>The environment variable that holds the soak's length in minutes.</summary>
    public const string MinutesVariable = "NEUROMESH_CHAOS_MINUTES";

    /// <summary>The environment variable that holds the fault schedule's seed.</summary>
    public const string SeedVariable = "NEUROMESH_CHAOS_SEED";

    /// <inheritdoc />
    public string Name => "chaos";

    /// <inheritdoc />
    public string Description => $"chaos soak: 3 silos on PostgreSQL ({DeltaLogSuite.PostgresVariable}) under lockstep CUBA runs while a seeded schedule kills, restarts, pauses silos ({MinutesVariable}, default 10; {SeedVariable})";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var postgres = Environment.GetEnvironmentVariable(DeltaLogSuite.PostgresVariable);
        if (string.IsNullOrWhiteSpace(postgres))
        {
            throw new InvalidOperationException($"the chaos suite needs PostgreSQL: set {DeltaLogSuite.PostgresVariable} to an Npgsql connection string to a server you started");
        }

        var minutes = Number(MinutesVariable, options.Quick ? 2 : 10);
        var seed = (int)Number(SeedVariable, 22);
        var root = CubaSuite.RepositoryRoot();
        var silo = Path.Combine(root, "Silo", "bin", "Release", "net10.0", "NeuroMesh.Silo.dll");
        var spec = NetworkSpec.Load(Path.Combine(root, "examples", "cuba.json")) with { Duration = 500 };
        var soak = new ChaosOptions(postgres, silo, spec, TimeSpan.FromMinutes(minutes), seed);
        var result = ChaosSoak.RunAsync(soak, Console.Error).GetAwaiter().GetResult();
        return Report(result, soak);
    }

    /// <summary>The soak's one table: faults by kind, recoveries, runs, memory, and each invariant (1 held, 0 broken).</summary>
    internal static BenchmarkReport Report(ChaosResult result, ChaosOptions options)
    {
        var report = new BenchmarkReport("chaos");
        report.Add("soak", "minutes", result.Elapsed.TotalMinutes, "min");
        report.Add("soak", "seed", options.Seed, "seed");
        foreach (var kind in new[] { "kill", "pause" })
        {
            var faults = result.Faults.Where(f => f.Kind == kind).ToList();
            report.Add($"faults {kind}", "injected", faults.Count, "faults");
            if (faults.Count > 0)
            {
                report.Add($"faults {kind}", "recovery mean", faults.Average(f => f.Recovery.TotalSeconds), "s");
                report.Add($"faults {kind}", "recovery max", faults.Max(f => f.Recovery.TotalSeconds), "s");
            }
        }

        report.Add("faults pause", "declared dead, restarted", result.Faults.Count(f => f.DeclaredDead), "faults");
        report.Add("runs", "finished", result.Runs.Count(r => r.Finished), "runs");
        report.Add("runs", "run recoveries", result.Runs.Sum(r => r.Recoveries), "recoveries");
        if (result.Runs.Count > 0)
        {
            report.Add("runs", "duration mean", result.Runs.Average(r => r.Duration.TotalSeconds), "s");
            report.Add("runs", "duration max", result.Runs.Max(r => r.Duration.TotalSeconds), "s");
        }

        report.Add("runs", "confirmed checkpoints", result.Runs.Sum(r => r.ConfirmedCheckpoints), "checkpoints");
        report.Add("runs", "checkpoints recorded twice", result.Runs.Sum(r => r.DuplicateCheckpoints), "checkpoints");
        report.Add("silo memory", "peak RSS", result.PeakRssBytes / 1048576.0, "MiB");
        var held = (string check) => result.Violations.Any(v => v.Contains(check, StringComparison.Ordinal)) ? 0 : 1;
        report.Add("invariant", "no confirmed checkpoint lost", result.Runs.All(r => r.LostCheckpoints == 0) ? 1 : 0, "held");
        report.Add("invariant", "every run's hash = unfailed", result.Runs.Count > 0 && result.Runs.All(r => r.HashMatches) ? 1 : 0, "held");
        report.Add("invariant", $"silos answer within {options.AnswerBound.TotalSeconds:0} s", held("did not answer again"), "held");
        report.Add("invariant", $"peak RSS <= {options.RssBoundBytes >> 20} MiB", held("resident"), "held");
        report.Add("invariant", "all held", result.Held ? 1 : 0, "held");
        if (result.Runs.Count > 0)
        {
            report.Ratios["runs_with_unfailed_hash"] = result.Runs.Count(r => r.HashMatches) / (double)result.Runs.Count;
        }

        var seen = result.Runs.Sum(r => r.ConfirmedCheckpoints);
        if (seen > 0)
        {
            report.Ratios["confirmed_checkpoints_kept"] = (seen - result.Runs.Sum(r => r.LostCheckpoints)) / (double)seen;
        }

        report.Ratios["peak_rss_vs_bound"] = result.PeakRssBytes / (double)options.RssBoundBytes;
        foreach (var violation in result.Violations)
        {
            Console.Error.WriteLine($"chaos: VIOLATION {violation}");
        }

        return report;
    }

    private static double Number(string variable, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{variable}='{text}' is not a positive number");
    }
}
