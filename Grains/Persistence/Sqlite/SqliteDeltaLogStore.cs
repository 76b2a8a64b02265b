using Microsoft.Data.Sqlite;

namespace NeuroMesh.Persistence;

/// <summary>
/// The embedded delta-log store: one SQLite file (default <c>./data/deltalog.db</c>) in WAL mode with
/// <c>synchronous=FULL</c>, so a confirmed append has reached the disk. The file and its schema are created on first use.
/// </summary>
/// <remarks>
/// Writes from this instance are serialised on one connection; writes from other instances or processes on the same
/// file are serialised by SQLite's write lock (<c>BEGIN IMMEDIATE</c>), and the version check in the same transaction
/// decides races. Reads use their own pooled connections and never block writes.
/// </remarks>
public sealed partial class SqliteDeltaLogStore : IDeltaLogStore
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SchemaMigrator _migrator;
    private readonly int _pageSize;
    private readonly int _busyTimeoutMs;
    private SqliteConnection? _writer;
    private volatile bool _opened;
    private bool _disposed;

    /// <summary>Creates the store; the file is opened, created and migrated on first use.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SqliteDeltaLogStore(SqliteDeltaLogOptions? options = null)
        : this(options ?? new SqliteDeltaLogOptions(), SqliteMigrations.All)
    {
    }

    internal SqliteDeltaLogStore(SqliteDeltaLogOptions options, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _pageSize = options.ReadPageSize;
        _busyTimeoutMs = (int)options.BusyTimeout.TotalMilliseconds;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)options.BusyTimeout.TotalSeconds),
        }.ToString();
        _migrator = new SchemaMigrator("SQLite", migrations, "schema_version");
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    internal string ConnectionString { get; }

    /// <summary>Creates the store and opens it now: creates the file and folder if needed and migrates the schema.</summary>
    /// <exception cref="DeltaLogSchemaException">The file is not a usable delta-log database, or its schema is newer than this build.</exception>
    public static async Task<SqliteDeltaLogStore> OpenAsync(SqliteDeltaLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        var store = new SqliteDeltaLogStore(options);
        try
        {
            await store.EnsureOpenAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, DeltaBatch batch, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        DeltaLogGuard.ExpectedVersion(expectedVersion);
        ArgumentNullException.ThrowIfNull(batch);
        var contentChecksum = DeltaChecksum.BatchContent(batch.Deltas);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var writer = await WriterAsync(cancellationToken);
            using var transaction = writer.BeginTransaction(deferred: false);
            var prior = await FindBatchAsync(writer, transaction, streamId, batch.Id, cancellationToken);
            if (prior is not null)
            {
                return prior.Resolve(streamId, batch, contentChecksum);
            }

            var newVersion = checked(expectedVersion + batch.Count);
            var key = await AdvanceStreamAsync(writer, transaction, streamId, expectedVersion, newVersion, cancellationToken);
            if (key is null)
            {
                var head = await ReadHeadAsync(writer, transaction, streamId, cancellationToken);
                throw new DeltaLogVersionConflictException(streamId, expectedVersion, head?.Version ?? 0);
            }

            await InsertDeltasAsync(writer, transaction, streamId, key.Value, expectedVersion, batch, cancellationToken);
            await InsertBatchAsync(writer, transaction, key.Value, batch, expectedVersion + 1, contentChecksum, cancellationToken);
            transaction.Commit();
            return new AppendResult(streamId, expectedVersion + 1, newVersion, Duplicate: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // Idle pooled readers hold the file (and their page caches); close them, then the writer, whose close as
            // the last connection checkpoints the WAL into the main file.
            using (var probe = new SqliteConnection(ConnectionString))
            {
                SqliteConnection.ClearPool(probe);
            }

            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<PriorBatch?> FindBatchAsync(SqliteConnection connection, SqliteTransaction transaction, string streamId, Guid batchId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT b.first_version, b.count, b.content_crc FROM batches b JOIN streams s ON s.id = b.stream WHERE s.name = $name AND b.batch_id = $batch";
        command.AddParameter("$name", streamId);
        command.AddParameter("$batch", batchId.ToByteArray());
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PriorBatch(reader.GetInt64(0), reader.GetInt32(1), (uint)reader.GetInt64(2))
            : null;
    }

    /// <summary>The compare-and-set on the stream's version; null when the stream is not at the expected version.</summary>
    private static async Task<long?> AdvanceStreamAsync(SqliteConnection connection, SqliteTransaction transaction, string streamId, long expectedVersion, long newVersion, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = expectedVersion == 0
            ? "INSERT INTO streams (name, version, truncated_through) VALUES ($name, $new, 0) ON CONFLICT (name) DO NOTHING RETURNING id"
            : "UPDATE streams SET version = $new WHERE name = $name AND version = $expected RETURNING id";
        command.AddParameter("$name", streamId);
        command.AddParameter("$new", newVersion);
        command.AddParameter("$expected", expectedVersion);
        var key = await command.ExecuteScalarAsync(cancellationToken);
        return key is null or DBNull ? null : (long)key;
    }

    private static async Task InsertDeltasAsync(SqliteConnection connection, SqliteTransaction transaction, string streamId, long key, long expectedVersion, DeltaBatch batch, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO deltas (stream, version, type, payload, crc) VALUES ($stream, $version, $type, $payload, $crc)";
        command.AddParameter("$stream", key);
        var version = command.AddParameter("$version", 0L);
        var type = command.AddParameter("$type", string.Empty);
        var payload = command.AddParameter("$payload", Array.Empty<byte>());
        var crc = command.AddParameter("$crc", 0L);
        command.Prepare();
        var v = expectedVersion;
        foreach (var delta in batch.Deltas)
        {
            v++;
            version.Value = v;
            type.Value = delta.Type;
            payload.Value = delta.Payload.AsArray();
            crc.Value = (long)DeltaChecksum.Record(streamId, v, delta.Type, delta.Payload.Span);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task InsertBatchAsync(SqliteConnection connection, SqliteTransaction transaction, long key, DeltaBatch batch, long firstVersion, uint contentChecksum, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO batches (stream, batch_id, first_version, count, content_crc) VALUES ($stream, $batch, $first, $count, $crc)";
        command.AddParameter("$stream", key);
        command.AddParameter("$batch", batch.Id.ToByteArray());
        command.AddParameter("$first", firstVersion);
        command.AddParameter("$count", batch.Count);
        command.AddParameter("$crc", (long)contentChecksum);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<StreamHead?> ReadHeadAsync(SqliteConnection connection, SqliteTransaction? transaction, string streamId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, version, truncated_through FROM streams WHERE name = $name";
        command.AddParameter("$name", streamId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StreamHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }
}
