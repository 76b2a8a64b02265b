namespace NeuroMesh.Tests.Persistence;

/// <summary>
/// The PostgreSQL the tests use: test.sh starts a throwaway server and exports its connection string. Under CI a missing
/// server is a failure; outside test.sh the PostgreSQL tests are skipped with the reason.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "NEUROMESH_TEST_POSTGRES";

    public static string ConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{Variable} is not set under CI=true; the PostgreSQL tests must run. Run them through ./test.sh, which starts a throwaway PostgreSQL and sets it.");
        }

        Skip.If(true, $"{Variable} is not set: run ./test.sh (it starts a throwaway PostgreSQL) or set it to an Npgsql connection string");
        return string.Empty;
    }

    /// <summary>Creates a fresh database on the test server and returns its connection string (for schemas with fixed names).</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var server = ConnectionString();
        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>A fresh schema name, so that every test has its own tables.</summary>
    public static string NewSchema() => $"t_{Guid.NewGuid():N}";
}
