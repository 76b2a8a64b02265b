using Npgsql;
using NeuroMesh.Persistence;

namespace NeuroMesh.Tests.Persistence;

/// <summary>The contract on the PostgreSQL backend (each test in its own schema), plus schema migration.</summary>
public sealed class PostgresDeltaLogStoreTests : DeltaLogStoreContractTests
{
    private readonly string _schema = TestPostgres.NewSchema();
    private string? _connectionString;

    private string ConnectionString => _connectionString ??= TestPostgres.ConnectionString();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null)
        {
            await ExecuteSqlAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }
    }

    [SkippableFact]
    public async Task Reopening_applies_no_migration_twice_and_a_newer_schema_is_refused()
    {
        await using (var again = await OpenStoreAsync())
        {
            await again.AppendAsync("s", 0, TestDeltas.Batch(1, 1));
        }

        Assert.Equal(1L, await ScalarSqlAsync($"SELECT COUNT(*) FROM {_schema}.schema_version"));
        await ExecuteSqlAsync($"INSERT INTO {_schema}.schema_version (version, description, applied_at) VALUES (7, 'from the future', 'now')");

        var e = await Assert.ThrowsAsync<DeltaLogSchemaException>(OpenStoreAsync);
        Assert.Contains("schema is at version 7, newer than this build knows (version 1)", e.Message);
    }

    [SkippableFact]
    public async Task Migrations_are_applied_in_order_once()
    {
        var schema = TestPostgres.NewSchema();
        var withV2 = PostgresMigrations.For(schema).Append(new SchemaMigration(2, "a test index", $"CREATE INDEX test_type ON {schema}.deltas (type)")).ToList();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await using var store = new PostgresDeltaLogStore(new PostgresDeltaLogOptions { ConnectionString = ConnectionString, Schema = schema }, withV2);
                await store.AppendAsync($"s{i}", 0, TestDeltas.Batch(1, 1));
            }

            Assert.Equal("1,2", await ScalarSqlAsync($"SELECT string_agg(version::text, ',' ORDER BY version) FROM {schema}.schema_version"));
            Assert.Equal(1L, await ScalarSqlAsync($"SELECT COUNT(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'test_type'"));
        }
        finally
        {
            await ExecuteSqlAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    [SkippableFact]
    public void Invalid_options_are_refused_with_the_setting_named()
    {
        Assert.Contains("ConnectionString", Assert.Throws<ArgumentException>(() => new PostgresDeltaLogStore(new PostgresDeltaLogOptions())).Message);
        Assert.Contains("Schema", Assert.Throws<ArgumentException>(() => new PostgresDeltaLogStore(new PostgresDeltaLogOptions { ConnectionString = "Host=x", Schema = "Bad-Name" })).Message);
        Assert.Contains("ReadPageSize", Assert.Throws<ArgumentException>(() => new PostgresDeltaLogStore(new PostgresDeltaLogOptions { ConnectionString = "Host=x", ReadPageSize = 0 })).Message);
    }

    protected override async Task<IDeltaLogStore> OpenStoreAsync()
        => await PostgresDeltaLogStore.OpenAsync(new PostgresDeltaLogOptions { ConnectionString = ConnectionString, Schema = _schema });

    protected override Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
        => WithCommandAsync(sql, parameters, c => c.ExecuteNonQueryAsync());

    protected override Task<object?> ScalarSqlAsync(string sql, params (string Name, object Value)[] parameters)
        => WithCommandAsync(sql, parameters, c => c.ExecuteScalarAsync());

    protected override string Table(string name) => $"{_schema}.{name}";

    private async Task<T> WithCommandAsync<T>(string sql, (string Name, object Value)[] parameters, Func<NpgsqlCommand, Task<T>> run)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await run(command);
    }
}
