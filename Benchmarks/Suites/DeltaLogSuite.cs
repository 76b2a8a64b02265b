using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.DeltaLog;
using NeuroMesh.Benchmarks.Suites.DeltaLog.LogPeer;
using NeuroMesh.Persistence;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The delta-log store on SQLite and PostgreSQL in one run: batched append throughput (batches of 100 and 1000),
/// append cost at growing log length (flat is the goal), and replay of the whole long stream (1M deltas; 200k with
/// --quick). PostgreSQL is measured when <c>NEUROMESH_BENCH_POSTGRES</c> holds a connection string; the suite starts no
/// server itself. Then, in one in-process silo, the cost of confirming one event at growing log length for Orleans'
/// built-in <c>LogStorage</c> log-consistency provider (over Orleans' in-memory grain storage: not durable) next to
/// NeuroMesh's <c>DeltaLogGrain</c> over SQLite (see <see cref="LogPeerBench"/>). Last, engine snapshots: size, stall,
/// codecs, write and restore, and recovery time of 10 s and 100 s runs from a snapshot against from tick 0
/// (see <see cref="SnapshotBench"/>).
/// </summary>
public sealed class DeltaLogSuite : IBenchmarkSuite
{
    /// <summary>The environment variable that holds the PostgreSQL connection string for the benchmark.</summary>
    public const string PostgresVariable = "NEUROMESH_BENCH_POSTGRES";

    /// <inheritdoc />
    public string Name => "deltalog";

    /// <inheritdoc />
    public string Description => $"delta-log store, SQLite and PostgreSQL ({PostgresVariable}): batched append, append cost vs log length, 1M replay; grain confirm cost vs log length, DeltaLogGrain vs Orleans LogStorage; engine snapshots and recovery time vs run length";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task<BenchmarkReport> RunAsync(SuiteOptions options)
    {
        var report = new BenchmarkReport("deltalog");
        var directory = Path.Combine(Path.GetTempPath(), $"neuromesh-bench-{Guid.NewGuid():N}");
        try
        {
            await using (var sqlite = await SqliteDeltaLogStore.OpenAsync(new SqliteDeltaLogOptions { Path = Path.Combine(directory, "deltalog.db") }))
            {
                Console.Error.WriteLine($"deltalog: SQLite at {sqlite.FilePath} (WAL, synchronous=FULL)");
                await new DeltaLogBench("SQLite", sqlite, options.Quick).RunAsync(report);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine($"deltalog: PostgreSQL NOT measured: {PostgresVariable} is not set (give it an Npgsql connection string to a server you started)");
        }
        else
        {
            var schema = $"bench_{Guid.NewGuid():N}";
            var options2 = new PostgresDeltaLogOptions { ConnectionString = connectionString, Schema = schema };
            await using var postgres = await PostgresDeltaLogStore.OpenAsync(options2);
            try
            {
                Console.Error.WriteLine($"deltalog: PostgreSQL schema {schema}");
                await new DeltaLogBench("PostgreSQL", postgres, options.Quick).RunAsync(report);
            }
            finally
            {
                await using var connection = new Npgsql.NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        await LogPeerBench.Create(options.Quick).RunAsync(report);
        await new SnapshotBench(options.Quick).RunAsync(report);

        AddRatios(report, "SQLite", "sqlite", 50_000);
        AddRatios(report, "PostgreSQL", "postgres", 20_000);
        return report;
    }

    private static void AddRatios(BenchmarkReport report, string impl, string key, double appendTarget)
    {
        if (!report.Results.Any(r => r.Impl == impl))
        {
            return;
        }

        report.Ratios[$"{key}_append1000_vs_target"] = report.Get("append batch=1000", impl) / appendTarget;
        var costs = report.Results.Where(r => r.Impl == impl && r.Case.StartsWith("append cost", StringComparison.Ordinal)).Select(r => r.Value).ToArray();
        report.Ratios[$"{key}_append_cost_longest_vs_empty"] = costs[^1] / costs[0];
        report.Ratios[$"{key}_replay_seconds"] = report.Results.First(r => r.Impl == impl && r.Case.StartsWith("replay ", StringComparison.Ordinal) && r.Unit == "s").Value;
    }
}
