using Microsoft.Data.Sqlite;
using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>The contract on the embedded SQLite backend, plus what only a file can show.</summary>
public sealed class SqliteDeltaLogStoreTests : DeltaLogStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"neuromesh-sqlite-{Guid.NewGuid():N}");

    private string DatabasePath => Path.Combine(_directory, "nested", "deltalog.db");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void The_default_file_is_data_deltalog_db_under_the_working_directory()
    {
        Assert.Equal("data/deltalog.db", SqliteDeltaLogOptions.DefaultPath);
        Assert.Equal(Path.GetFullPath("data/deltalog.db"), new SqliteDeltaLogStore().FilePath);
    }

    [Fact]
    public async Task The_file_is_created_on_first_use_in_wal_mode_with_full_sync()
    {
        Assert.True(File.Exists(DatabasePath));
        Assert.Equal("wal", await ScalarSqlAsync("PRAGMA journal_mode"));
        Assert.Equal(2L, await ((SqliteDeltaLogStore)Store).WriterSynchronousAsync());
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_setting_named()
    {
        Assert.Contains("Path", Assert.Throws<ArgumentException>(() => new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = " " })).Message);
        Assert.Contains("BusyTimeout", Assert.Throws<ArgumentException>(() => new SqliteDeltaLogStore(new SqliteDeltaLogOptions { BusyTimeout = TimeSpan.Zero })).Message);
        Assert.Contains("ReadPageSize", Assert.Throws<ArgumentException>(() => new SqliteDeltaLogStore(new SqliteDeltaLogOptions { ReadPageSize = 0 })).Message);
    }

    [Fact]
    public async Task Reopening_applies_no_migration_twice()
    {
        await using (var again = await OpenStoreAsync())
        {
            await again.AppendAsync("s", 0, TestDeltas.Batch(1, 1));
        }

        Assert.Equal(1L, await ScalarSqlAsync("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(1L, await ScalarSqlAsync("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public async Task Migrations_are_applied_in_order_once_and_a_newer_schema_is_refused()
    {
        var path = Path.Combine(_directory, "migrations.db");
        var withV2 = SqliteMigrations.All.Append(new SchemaMigration(2, "a test index", "CREATE INDEX test_deltas_type ON deltas (type)")).ToList();
        await using (var store = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = path }, withV2))
        {
            await store.AppendAsync("s", 0, TestDeltas.Batch(1, 1));
        }

        await using (var again = new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = path }, withV2))
        {
            Assert.Single(await again.ReadAllAsync("s"));
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT group_concat(version, ',') FROM (SELECT version FROM schema_version ORDER BY rowid)";
            Assert.Equal("1,2", command.ExecuteScalar());
        }

        // This build (which knows version 1 only) refuses the file that a newer build migrated to version 2.
        var e = await Assert.ThrowsAsync<DeltaLogSchemaException>(() => SqliteDeltaLogStore.OpenAsync(new SqliteDeltaLogOptions { Path = path }));
        Assert.Contains("schema is at version 2, newer than this build knows (version 1)", e.Message);
        Assert.Throws<ArgumentException>(() => new SqliteDeltaLogStore(new SqliteDeltaLogOptions { Path = path }, [new SchemaMigration(2, "gap", "SELECT 1")]));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_clearly()
    {
        var path = Path.Combine(_directory, "garbage.db");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        var e = await Assert.ThrowsAsync<DeltaLogSchemaException>(() => SqliteDeltaLogStore.OpenAsync(new SqliteDeltaLogOptions { Path = path }));
        Assert.Contains("not a usable SQLite delta-log database", e.Message);
    }

    [Fact]
    public async Task A_byte_flipped_in_the_database_file_is_reported_with_stream_and_version()
    {
        var marker = "MARKER-0123456789-MARKER"u8.ToArray();
        await Store.AppendAsync("neuron/42", 0, TestDeltas.Batch(1, 10));
        await Store.AppendAsync("neuron/42", 10, DeltaBatch.Create(new Delta("Agent", marker)));
        await Store.AppendAsync("neuron/42", 11, TestDeltas.Batch(12, 3));
        await Store.DisposeAsync();

        // Closing the last connection checkpointed the WAL: the record's bytes now sit in the main file.
        var bytes = await File.ReadAllBytesAsync(DatabasePath);
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at > 0, "the marker payload was not found in the database file");
        Assert.Equal(-1, bytes.AsSpan(at + 1).IndexOf(marker));
        bytes[at + 7] ^= 0x20;
        await File.WriteAllBytesAsync(DatabasePath, bytes);

        await using var reopened = await OpenStoreAsync();
        var seen = new List<long>();
        var e = await Assert.ThrowsAsync<DeltaLogCorruptionException>(async () =>
        {
            await foreach (var record in reopened.ReadAsync("neuron/42"))
            {
                seen.Add(record.Version);
            }
        });
        Assert.Equal(("neuron/42", 11L), (e.StreamId, e.Version));
        Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), seen);
        Assert.Equal(3, (await reopened.ReadAllAsync("neuron/42", 12)).Count);
    }

    protected override async Task<IDeltaLogStore> OpenStoreAsync()
        => await SqliteDeltaLogStore.OpenAsync(new SqliteDeltaLogOptions { Path = DatabasePath });

    protected override Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
        => WithCommandAsync(sql, parameters, c => c.ExecuteNonQueryAsync());

    protected override Task<object?> ScalarSqlAsync(string sql, params (string Name, object Value)[] parameters)
        => WithCommandAsync(sql, parameters, c => c.ExecuteScalarAsync());

    protected override string Table(string name) => name;

    private async Task<T> WithCommandAsync<T>(string sql, (string Name, object Value)[] parameters, Func<SqliteCommand, Task<T>> run)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("@" + name, value);
        }

        return await run(command);
    }
}
