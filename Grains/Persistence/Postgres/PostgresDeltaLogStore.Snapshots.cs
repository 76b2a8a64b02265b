using Npgsql;

namespace NeuroMesh.Persistence;

/// <summary>Snapshots and the explicit truncation they allow.</summary>
public sealed partial class PostgresDeltaLogStore
{
    /// <inheritdoc />
    public async Task WriteSnapshotAsync(string streamId, DeltaSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var head = await LockHeadAsync(connection, transaction, streamId, cancellationToken);
        var stored = head is null ? null : await SnapshotVersionAsync(connection, transaction, head.Key, cancellationToken);
        SnapshotRules.CheckWrite(streamId, snapshot, head, stored);

        await using var command = new NpgsqlCommand($"INSERT INTO {_schema}.snapshots (stream, version, data, crc) VALUES (@stream, @version, @data, @crc) ON CONFLICT (stream) DO UPDATE SET version = excluded.version, data = excluded.data, crc = excluded.crc", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("stream", head!.Key));
        command.Parameters.Add(new NpgsqlParameter<long>("version", snapshot.Version));
        command.Parameters.Add(new NpgsqlParameter<byte[]>("data", snapshot.Data.AsArray()));
        command.Parameters.Add(new NpgsqlParameter<long>("crc", DeltaChecksum.Snapshot(streamId, snapshot.Version, snapshot.Data.Span)));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DeltaSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT sn.version, sn.data, sn.crc FROM {_schema}.snapshots sn JOIN {_schema}.streams s ON s.id = sn.stream WHERE s.name = @name", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("name", streamId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return SnapshotRules.Verify(streamId, reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }

    /// <inheritdoc />
    public async Task<long> TruncateAsync(string streamId, long throughVersion, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        DeltaLogGuard.ThroughVersion(throughVersion);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var head = await LockHeadAsync(connection, transaction, streamId, cancellationToken);
        var snapshot = head is null ? null : await SnapshotVersionAsync(connection, transaction, head.Key, cancellationToken);
        if (!SnapshotRules.CheckTruncate(streamId, throughVersion, head, snapshot))
        {
            return 0;
        }

        await using var command = new NpgsqlCommand($"""
            DELETE FROM {_schema}.deltas WHERE stream = @stream AND version <= @through;
            DELETE FROM {_schema}.batches WHERE stream = @stream AND first_version + count - 1 <= @through;
            UPDATE {_schema}.streams SET truncated_through = @through WHERE id = @stream;
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("stream", head!.Key));
        command.Parameters.Add(new NpgsqlParameter<long>("through", throughVersion));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return throughVersion - head.TruncatedThrough;
    }

    /// <summary>The stream's row, locked for the rest of the transaction so that the checks made on it hold at commit.</summary>
    private async Task<StreamHead?> LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT id, version, truncated_through FROM {_schema}.streams WHERE name = @name FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("name", streamId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StreamHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    private async Task<long?> SnapshotVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {_schema}.snapshots WHERE stream = @stream FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("stream", key));
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : null;
    }
}
