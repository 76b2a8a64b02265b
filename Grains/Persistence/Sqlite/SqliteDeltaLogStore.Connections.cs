using Microsoft.Data.Sqlite;

namespace NeuroMesh.Persistence;

/// <summary>Opening the file: folder, WAL mode, durability setting, schema migration.</summary>
public sealed partial class SqliteDeltaLogStore
{
    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await WriterAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The writer connection, opened and migrated on first use. The caller holds <see cref="_gate"/>.</summary>
    private async Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is not null)
        {
            return _writer;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var mode = await ScalarAsync(connection, "PRAGMA journal_mode=WAL", cancellationToken);
            if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DeltaLogSchemaException($"SQLite refused WAL mode for '{FilePath}' (journal mode is '{mode}'); put the file on a local file system");
            }

            // FULL: in WAL mode every commit syncs the WAL, so an acknowledged append survives a crash or power loss.
            await ScalarAsync(connection, $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={_busyTimeoutMs}", cancellationToken);
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                await _migrator.MigrateAsync(connection, transaction, cancellationToken);
                transaction.Commit();
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            await connection.DisposeAsync();
            throw new DeltaLogSchemaException($"'{FilePath}' is not a usable SQLite delta-log database: {e.Message}", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _writer = connection;
        _opened = true;
        return connection;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(cancellationToken);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>The writer connection's <c>synchronous</c> setting (2 = FULL), for tests.</summary>
    internal async Task<long> WriterSynchronousAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return (long)(await ScalarAsync(await WriterAsync(CancellationToken.None), "PRAGMA synchronous", CancellationToken.None))!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
