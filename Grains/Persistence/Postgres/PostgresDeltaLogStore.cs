using Npgsql;
using NpgsqlTypes;

namespace NeuroMesh.Persistence;

/// <summary>
/// The delta-log store for clusters: tables in one PostgreSQL schema (default <c>neuromesh</c>), created and migrated
/// on first use. A confirmed append has been committed (durable under PostgreSQL's default <c>synchronous_commit=on</c>).
/// </summary>
/// <remarks>
/// Races between writers, in this process or any other, are decided by the compare-and-set on the stream's row in the
/// append's transaction: the loser's update matches no row and it gets <see cref="DeltaLogVersionConflictException"/>.
/// </remarks>
public sealed partial class PostgresDeltaLogStore : IDeltaLogStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly SchemaMigrator _migrator;
    private readonly string _schema;
    private readonly int _pageSize;
    private volatile bool _opened;

    /// <summary>Creates the store; the schema is created and migrated on first use.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PostgresDeltaLogStore(PostgresDeltaLogOptions options)
        : this(options, PostgresMigrations.For(ValidSchema(options)))
    {
    }

    internal PostgresDeltaLogStore(PostgresDeltaLogOptions options, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _schema = options.Schema;
        _pageSize = options.ReadPageSize;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _migrator = new SchemaMigrator("PostgreSQL", migrations, $"{_schema}.schema_version");
    }

    /// <summary>The schema that holds the tables.</summary>
    public string Schema => _schema;

    /// <summary>Creates the store and opens it now: connects, creates the schema if needed and migrates it.</summary>
    /// <exception cref="DeltaLogSchemaException">The schema is newer than this build, or a migration failed.</exception>
    public static async Task<PostgresDeltaLogStore> OpenAsync(PostgresDeltaLogOptions options, CancellationToken cancellationToken = default)
    {
        var store = new PostgresDeltaLogStore(options);
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

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var prior = await FindBatchAsync(connection, transaction, streamId, batch.Id, cancellationToken);
            if (prior is not null)
            {
                return prior.Resolve(streamId, batch, contentChecksum);
            }

            var newVersion = checked(expectedVersion + batch.Count);
            var key = await AdvanceStreamAsync(connection, transaction, streamId, expectedVersion, newVersion, cancellationToken);
            if (key is not null)
            {
                await InsertDeltasAsync(connection, transaction, streamId, key.Value, expectedVersion, batch, cancellationToken);
                await InsertBatchAsync(connection, transaction, key.Value, batch, expectedVersion + 1, contentChecksum, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new AppendResult(streamId, expectedVersion + 1, newVersion, Duplicate: false);
            }
        }

        // Lost the compare-and-set. The winner may have been another attempt of this very batch (a retry racing the
        // original), which is now committed and visible: that is a duplicate, not a conflict.
        var committed = await FindBatchAsync(connection, null, streamId, batch.Id, cancellationToken);
        if (committed is not null)
        {
            return committed.Resolve(streamId, batch, contentChecksum);
        }

        var head = await ReadHeadAsync(connection, null, streamId, cancellationToken);
        throw new DeltaLogVersionConflictException(streamId, expectedVersion, head?.Version ?? 0);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    private static string ValidSchema(PostgresDeltaLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Schema;
    }

    private async Task<PriorBatch?> FindBatchAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, Guid batchId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT b.first_version, b.count, b.content_crc FROM {_schema}.batches b JOIN {_schema}.streams s ON s.id = b.stream WHERE s.name = @name AND b.batch_id = @batch", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("name", streamId));
        command.Parameters.Add(new NpgsqlParameter<Guid>("batch", batchId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PriorBatch(reader.GetInt64(0), reader.GetInt32(1), (uint)reader.GetInt64(2))
            : null;
    }

    private async Task<long?> AdvanceStreamAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string streamId, long expectedVersion, long newVersion, CancellationToken cancellationToken)
    {
        var sql = expectedVersion == 0
            ? $"INSERT INTO {_schema}.streams (name, version, truncated_through) VALUES (@name, @new, 0) ON CONFLICT (name) DO NOTHING RETURNING id"
            : $"UPDATE {_schema}.streams SET version = @new WHERE name = @name AND version = @expected RETURNING id";
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("name", streamId));
        command.Parameters.Add(new NpgsqlParameter<long>("new", newVersion));
        if (expectedVersion != 0)
        {
            command.Parameters.Add(new NpgsqlParameter<long>("expected", expectedVersion));
        }

        return await command.ExecuteScalarAsync(cancellationToken) is long key ? key : null;
    }

    private async Task InsertDeltasAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string streamId, long key, long expectedVersion, DeltaBatch batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        var versions = new long[count];
        var types = new string[count];
        var payloads = new byte[count][];
        var checksums = new long[count];
        for (var i = 0; i < count; i++)
        {
            var delta = batch.Deltas[i];
            versions[i] = expectedVersion + 1 + i;
            types[i] = delta.Type;
            payloads[i] = delta.Payload.AsArray();
            checksums[i] = DeltaChecksum.Record(streamId, versions[i], delta.Type, delta.Payload.Span);
        }

        // One statement (one round trip) per batch: the columns travel as arrays and unnest turns them into rows.
        await using var command = new NpgsqlCommand($"INSERT INTO {_schema}.deltas (stream, version, type, payload, crc) SELECT @stream, v, t, p, c FROM unnest(@versions, @types, @payloads, @crcs) AS x (v, t, p, c)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("stream", key));
        command.Parameters.Add(new NpgsqlParameter<long[]>("versions", versions) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string[]>("types", types) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", payloads) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<long[]>("crcs", checksums) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long key, DeltaBatch batch, long firstVersion, uint contentChecksum, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {_schema}.batches (stream, batch_id, first_version, count, content_crc) VALUES (@stream, @batch, @first, @count, @crc)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("stream", key));
        command.Parameters.Add(new NpgsqlParameter<Guid>("batch", batch.Id));
        command.Parameters.Add(new NpgsqlParameter<long>("first", firstVersion));
        command.Parameters.Add(new NpgsqlParameter<int>("count", batch.Count));
        command.Parameters.Add(new NpgsqlParameter<long>("crc", contentChecksum));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<StreamHead?> ReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT id, version, truncated_through FROM {_schema}.streams WHERE name = @name", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("name", streamId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StreamHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }
}
