using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace NeuroMesh.Persistence;

/// <summary>Reads: deltas a page at a time, stream heads, the stream list.</summary>
public sealed partial class SqliteDeltaLogStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<DeltaRecord> ReadAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        DeltaLogGuard.FromVersion(fromVersion);
        await using var connection = await OpenReaderAsync(cancellationToken);
        var head = await ReadHeadAsync(connection, null, streamId, cancellationToken);
        if (head is null || fromVersion > head.Version)
        {
            yield break;
        }

        if (fromVersion <= head.TruncatedThrough)
        {
            throw new DeltaLogTruncatedException(streamId, fromVersion, head.TruncatedThrough);
        }

        var verifier = new StoredDeltaReader(streamId, fromVersion, head.Version);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, type, payload, crc FROM deltas WHERE stream = $stream AND version >= $from AND version <= $to ORDER BY version LIMIT $limit";
        command.AddParameter("$stream", head.Key);
        var from = command.AddParameter("$from", fromVersion);
        command.AddParameter("$to", head.Version);
        command.AddParameter("$limit", _pageSize);
        var pages = verifier.ReadAllAsync(
            next =>
            {
                from.Value = next;
                return ReadPageAsync(command, verifier, streamId, cancellationToken);
            },
            () => ReadHeadAsync(connection, null, streamId, cancellationToken));
        await foreach (var record in pages.WithCancellation(cancellationToken))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async Task<DeltaStreamInfo?> GetStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT s.version, s.truncated_through, sn.version FROM streams s LEFT JOIN snapshots sn ON sn.stream = s.id WHERE s.name = $name";
        command.AddParameter("$name", streamId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DeltaStreamInfo(streamId, reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2))
            : null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DeltaStreamInfo> ListStreamsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT s.name, s.version, s.truncated_through, sn.version FROM streams s LEFT JOIN snapshots sn ON sn.stream = s.id WHERE s.name > $after ORDER BY s.name LIMIT 1000";
        var after = command.AddParameter("$after", string.Empty);
        while (true)
        {
            var page = new List<DeltaStreamInfo>();
            using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(new DeltaStreamInfo(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
                }
            }

            foreach (var info in page)
            {
                yield return info;
            }

            if (page.Count < 1000)
            {
                yield break;
            }

            after.Value = page[^1].StreamId;
        }
    }

    private static async Task<(List<DeltaRecord> Page, DeltaLogCorruptionException? Failure)> ReadPageAsync(SqliteCommand command, StoredDeltaReader verifier, string streamId, CancellationToken cancellationToken)
    {
        var page = new List<DeltaRecord>();
        try
        {
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(verifier.Verify(
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetValue(1) as string,
                    reader.IsDBNull(2) ? null : reader.GetValue(2) as byte[],
                    reader.IsDBNull(3) ? null : reader.GetValue(3) as long?));
            }
        }
        catch (DeltaLogCorruptionException e)
        {
            return (page, e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            return (page, new DeltaLogCorruptionException(streamId, verifier.Next, $"the database file is damaged ({e.Message})", e));
        }

        return (page, null);
    }
}
