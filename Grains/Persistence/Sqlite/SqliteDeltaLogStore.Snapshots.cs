using Microsoft.Data.Sqlite;

namespace NeuroMesh.Persistence;

/// <summary>Snapshots and the explicit truncation they allow.</summary>
public sealed partial class SqliteDeltaLogStore
{
    /// <inheritdoc />
    public async Task WriteSnapshotAsync(string streamId, DeltaSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        ArgumentNullException.ThrowIfNull(snapshot);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var writer = await WriterAsync(cancellationToken);
            using var transaction = writer.BeginTransaction(deferred: false);
            var head = await ReadHeadAsync(writer, transaction, streamId, cancellationToken);
            var stored = head is null ? null : await SnapshotVersionAsync(writer, transaction, head.Key, cancellationToken);
            SnapshotRules.CheckWrite(streamId, snapshot, head, stored);

            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO snapshots (stream, version, data, crc) VALUES ($stream, $version, $data, $crc) ON CONFLICT (stream) DO UPDATE SET version = excluded.version, data = excluded.data, crc = excluded.crc";
            command.AddParameter("$stream", head!.Key);
            command.AddParameter("$version", snapshot.Version);
            command.AddParameter("$data", snapshot.Data.AsArray());
            command.AddParameter("$crc", (long)DeltaChecksum.Snapshot(streamId, snapshot.Version, snapshot.Data.Span));
            await command.ExecuteNonQueryAsync(cancellationToken);
            transaction.Commit();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<DeltaSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sn.version, sn.data, sn.crc FROM snapshots sn JOIN streams s ON s.id = sn.stream WHERE s.name = $name";
        command.AddParameter("$name", streamId);
        try
        {
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return SnapshotRules.Verify(streamId, reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetValue(1) as byte[], reader.IsDBNull(2) ? null : reader.GetInt64(2));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw new DeltaLogCorruptionException(streamId, 0, $"the database file is damaged where the snapshot is stored ({e.Message})", e);
        }
    }

    /// <inheritdoc />
    public async Task<long> TruncateAsync(string streamId, long throughVersion, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        DeltaLogGuard.ThroughVersion(throughVersion);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var writer = await WriterAsync(cancellationToken);
            using var transaction = writer.BeginTransaction(deferred: false);
            var head = await ReadHeadAsync(writer, transaction, streamId, cancellationToken);
            var snapshot = head is null ? null : await SnapshotVersionAsync(writer, transaction, head.Key, cancellationToken);
            if (!SnapshotRules.CheckTruncate(streamId, throughVersion, head, snapshot))
            {
                return 0;
            }

            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                DELETE FROM deltas WHERE stream = $stream AND version <= $through;
                DELETE FROM batches WHERE stream = $stream AND first_version + count - 1 <= $through;
                UPDATE streams SET truncated_through = $through WHERE id = $stream;
                """;
            command.AddParameter("$stream", head!.Key);
            command.AddParameter("$through", throughVersion);
            await command.ExecuteNonQueryAsync(cancellationToken);
            transaction.Commit();
            return throughVersion - head.TruncatedThrough;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<long?> SnapshotVersionAsync(SqliteConnection connection, SqliteTransaction transaction, long key, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM snapshots WHERE stream = $stream";
        command.AddParameter("$stream", key);
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : null;
    }
}
