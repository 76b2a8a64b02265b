using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>
/// Crash safety against a real process: StorePeer appends under load and prints each confirmed version; it is killed
/// with SIGKILL mid-run (twice, the second time on top of the first crash), and every confirmed delta must be there, in
/// order, with valid checksums, in a store that opens cleanly and takes the next append.
/// </summary>
public sealed class StoreCrashTests : IDisposable
{
    private const string Stream = "crash/stream";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"neuromesh-crash-{Guid.NewGuid():N}");

    public StoreCrashTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Sqlite_keeps_every_confirmed_delta_across_sigkill()
    {
        var path = Path.Combine(_directory, "crash.db");
        long total = 0;
        for (var round = 0; round < 2; round++)
        {
            var confirmed = await RunAndKillAsync(["sqlite", path, Stream], seed: round);
            Assert.True(confirmed > total, $"round {round}: the peer confirmed nothing new (last {confirmed})");
            await using var store = await SqliteDeltaLogStore.OpenAsync(new SqliteDeltaLogOptions { Path = path });
            total = await AssertSurvivedAsync(store, confirmed);
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar());
    }

    [SkippableFact]
    public async Task Postgres_keeps_every_confirmed_delta_across_sigkill()
    {
        var connectionString = TestPostgres.ConnectionString();
        var schema = TestPostgres.NewSchema();
        try
        {
            long total = 0;
            for (var round = 0; round < 2; round++)
            {
                var confirmed = await RunAndKillAsync(["postgres", connectionString, schema, Stream], seed: round);
                Assert.True(confirmed > total, $"round {round}: the peer confirmed nothing new (last {confirmed})");
                await using var store = await PostgresDeltaLogStore.OpenAsync(new PostgresDeltaLogOptions { ConnectionString = connectionString, Schema = schema });
                total = await AssertSurvivedAsync(store, confirmed);
            }
        }
        finally
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Must match StorePeer's CrashPayload.For.</summary>
    private static byte[] Payload(long version) => Encoding.UTF8.GetBytes($"crash-delta-{version}:{new string('p', (int)(version % 97))}");

    /// <summary>Reads the whole stream back and checks it against what was confirmed; returns how many deltas it holds.</summary>
    private static async Task<long> AssertSurvivedAsync(IDeltaLogStore store, long confirmed)
    {
        long expected = 1;
        await foreach (var record in store.ReadAsync(Stream))
        {
            Assert.Equal(expected, record.Version);
            Assert.Equal("Crash", record.Type);
            Assert.Equal(Payload(expected), record.Payload.ToArray());
            expected++;
        }

        var total = expected - 1;
        Assert.True(total >= confirmed, $"the peer confirmed version {confirmed} but only {total} deltas survived");

        // Opens cleanly and goes on from where the log ends (an unconfirmed, committed tail is allowed, never a gap).
        var next = await store.AppendAsync(Stream, total, DeltaBatch.Create(new Delta("Crash", Payload(total + 1))));
        Assert.Equal(total + 1, next.LastVersion);
        return next.LastVersion;
    }

    /// <summary>Starts the peer, lets it confirm a few hundred appends, kills it with SIGKILL at a random moment,
    /// and returns the last version it confirmed.</summary>
    private static async Task<long> RunAndKillAsync(string[] arguments, int seed)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(PeerPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        long lastConfirmed = 0;
        var lines = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                // A line cut by the kill is ignored; it only ever states less than was confirmed.
                if (line.StartsWith("confirmed ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    Assert.True(version > Volatile.Read(ref lastConfirmed), $"confirmations went backwards: {version} after {lastConfirmed}");
                    Volatile.Write(ref lastConfirmed, version);
                    if (++lines == 300)
                    {
                        enough.TrySetResult();
                    }
                }
            }

            enough.TrySetResult();
        });

        // A hang guard, not a speed check: the peer must get going within half a minute.
        await enough.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (process.HasExited)
        {
            Assert.Fail($"the peer stopped by itself (exit {process.ExitCode}): {await errors}");
        }

        await Task.Delay(new Random(seed).Next(0, 40));
        process.Kill(); // SIGKILL on Unix: no handler, no flush, no dispose runs in the peer
        await process.WaitForExitAsync();
        await reading;
        Assert.Equal(137, process.ExitCode);
        return Volatile.Read(ref lastConfirmed);
    }

    private static string PeerPath()
    {
        // Tests/bin/<Configuration>/<tfm>/ -> Tests/StorePeer/bin/<Configuration>/<tfm>/
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var peer = Path.Combine(baseDir.Parent!.Parent!.Parent!.FullName, "StorePeer", "bin", baseDir.Parent.Name, baseDir.Name, "NeuroMesh.Tests.StorePeer.dll");
        Assert.True(File.Exists(peer), $"the peer program was not built at {peer}; build the solution first");
        return peer;
    }
}
