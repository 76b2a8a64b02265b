using System.Data.Common;

namespace NeuroMesh.Persistence;

/// <summary>
/// Applies a backend's migrations in order inside one transaction, records each in <c>schema_version</c>, does nothing
/// on a database that is up to date, and refuses a database migrated by a newer build.
/// </summary>
internal sealed class SchemaMigrator
{
    private readonly string _backend;
    private readonly IReadOnlyList<SchemaMigration> _migrations;
    private readonly string _versionTable;
    private readonly string _subject;

    /// <param name="backend">The database, for messages (PostgreSQL, SQLite).</param>
    /// <param name="migrations">The steps, numbered 1, 2, 3, ...</param>
    /// <param name="versionTable">The table that records applied steps.</param>
    /// <param name="subject">What the schema holds, for messages.</param>
    public SchemaMigrator(string backend, IReadOnlyList<SchemaMigration> migrations, string versionTable, string subject = "delta-log")
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"{backend} migrations must be numbered 1, 2, 3, ... in order; entry {i} is version {migrations[i].Version}", nameof(migrations));
            }
        }

        _backend = backend;
        _migrations = migrations;
        _versionTable = versionTable;
        _subject = subject;
    }

    /// <summary>The newest schema version this build knows.</summary>
    public int LatestVersion => _migrations.Count;

    /// <summary>Brings the schema up to date. The caller's transaction must already hold the backend's migration lock.</summary>
    /// <returns>The versions applied by this call (empty when the schema was current).</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {_versionTable} (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)", cancellationToken);

        await using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = $"SELECT COALESCE(MAX(version), 0) FROM {_versionTable}";
        var current = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new DeltaLogSchemaException($"the {_backend} {_subject} schema is at version {current}, newer than this build knows (version {LatestVersion}); upgrade NeuroMesh or point it at another database");
        }

        var applied = new List<int>();
        foreach (var migration in _migrations.Where(m => m.Version > current))
        {
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            }
            catch (DbException e)
            {
                throw new DeltaLogSchemaException($"the {_backend} {_subject} migration {migration.Version} ({migration.Description}) failed: {e.Message}", e);
            }

            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = $"INSERT INTO {_versionTable} (version, description, applied_at) VALUES (@version, @description, @appliedAt)";
            AddParameter(record, "version", migration.Version);
            AddParameter(record, "description", migration.Description);
            AddParameter(record, "appliedAt", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            applied.Add(migration.Version);
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
