using Npgsql;
using NpgsqlTypes;

namespace NeuroMesh.Snapshots;

/// <summary>
/// Snapshots in PostgreSQL, for a cluster whose silos share no disk: table <c>{schema}.engine_snapshots</c>, one row per
/// 4 MiB chunk. A save replaces a snapshot's chunks in one transaction, so a reader sees the old file or the new one.
/// </summary>
public sealed class PostgresSnapshotStore : ISnapshotStore, IAsyncDisposable
{
    private const int Chunk = 4 << 20;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _created;

    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema of the table (lower-case letters, digits and underscores); created when missing.</param>
    public PostgresSnapshotStore(string connectionString, string schema = "neuromesh")
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (string.IsNullOrEmpty(schema) || !schema.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"the schema '{schema}' must be lower-case letters, digits and underscores", nameof(schema));
        }

        _dataSource = NpgsqlDataSource.Create(connectionString);
        Schema = schema;
        _table = $"{schema}.engine_snapshots";
    }

    /// <summary>The schema of the table.</summary>
    public string Schema { get; }

    /// <inheritdoc />
    public string Description => $"postgres {_table}";

    /// <inheritdoc />
    public async Task SaveAsync(string runId, long tick, byte[] snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand($"DELETE FROM {_table} WHERE run_id = $1 AND tick = $2", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = runId });
            delete.Parameters.Add(new NpgsqlParameter { Value = tick });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        for (int at = 0, chunk = 0; at < snapshot.Length || chunk == 0; at += Chunk, chunk++)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO {_table} (run_id, tick, chunk, data) VALUES ($1, $2, $3, $4)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = runId });
            insert.Parameters.Add(new NpgsqlParameter { Value = tick });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk });
            insert.Parameters.Add(new NpgsqlParameter { Value = new ArraySegment<byte>(snapshot, at, Math.Min(Chunk, snapshot.Length - at)), NpgsqlDbType = NpgsqlDbType.Bytea });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> LoadAsync(string runId, long tick, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT data FROM {_table} WHERE run_id = $1 AND tick = $2 ORDER BY chunk", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = runId });
        select.Parameters.Add(new NpgsqlParameter { Value = tick });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        using var file = new MemoryStream();
        var any = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            any = true;
            file.Write(reader.GetFieldValue<byte[]>(0));
        }

        return any ? file.ToArray() : null;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string runId, long tick, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var delete = new NpgsqlCommand($"DELETE FROM {_table} WHERE run_id = $1 AND tick = $2", connection);
        delete.Parameters.Add(new NpgsqlParameter { Value = runId });
        delete.Parameters.Add(new NpgsqlParameter { Value = tick });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT DISTINCT tick FROM {_table} WHERE run_id = $1 ORDER BY tick", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = runId });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var ticks = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ticks.Add(reader.GetInt64(0));
        }

        return ticks;
    }

    /// <inheritdoc />
    public async Task<long> SizeAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand($"SELECT COALESCE(SUM(octet_length(data)), 0) FROM {_table} WHERE run_id = $1", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = runId });
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _gate.Dispose();
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        if (_created)
        {
            return connection;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                await using var create = new NpgsqlCommand(
                    $"SELECT pg_advisory_xact_lock(hashtext('neuromesh.snapshots.{Schema}')); CREATE SCHEMA IF NOT EXISTS {Schema}; " +
                    $"CREATE TABLE IF NOT EXISTS {_table} (run_id text NOT NULL, tick bigint NOT NULL, chunk integer NOT NULL, data bytea NOT NULL, " +
                    "PRIMARY KEY (run_id, tick, chunk))", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
                _created = true;
            }
        }
        finally
        {
            _gate.Release();
        }

        return connection;
    }
}
