using System.Runtime.CompilerServices;
using Npgsql;

namespace NeuroMesh.Persistence;

/// <summary>Reads: deltas a page at a time, stream heads, the stream list.</summary>
public sealed partial class PostgresDeltaLogStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<DeltaRecord> ReadAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DeltaLogGuard.StreamId(streamId);
        DeltaLogGuard.FromVersion(fromVersion);
        await using var connection = await OpenConnectionAsync(cancellationToken);
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
        await using var command = new NpgsqlCommand($"SELECT version, type, payload, crc FROM {_schema}.deltas WHERE stream = @stream AND version >= @from AND version <= @to ORDER BY version LIMIT @limit", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("stream", head.Key));
        var from = new NpgsqlParameter<long>("from", fromVersion);
        command.Parameters.Add(from);
        command.Parameters.Add(new NpgsqlParameter<long>("to", head.Version));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", _pageSize));
        await command.PrepareAsync(cancellationToken);
        var pages = verifier.ReadAllAsync(
            next =>
            {
                from.TypedValue = next;
                return ReadPageAsync(command, verifier, cancellationToken);
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
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT s.version, s.truncated_through, sn.version FROM {_schema}.streams s LEFT JOIN {_schema}.snapshots sn ON sn.stream = s.id WHERE s.name = @name", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("name", streamId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DeltaStreamInfo(streamId, reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2))
            : null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DeltaStreamInfo> ListStreamsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT s.name, s.version, s.truncated_through, sn.version FROM {_schema}.streams s LEFT JOIN {_schema}.snapshots sn ON sn.stream = s.id WHERE s.name > @after ORDER BY s.name LIMIT 1000", connection);
        var after = new NpgsqlParameter<string>("after", string.Empty);
        command.Parameters.Add(after);
        while (true)
        {
            var page = new List<DeltaStreamInfo>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
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

            after.TypedValue = page[^1].StreamId;
        }
    }

    private static async Task<(List<DeltaRecord> Page, DeltaLogCorruptionException? Failure)> ReadPageAsync(NpgsqlCommand command, StoredDeltaReader verifier, CancellationToken cancellationToken)
    {
        var page = new List<DeltaRecord>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(verifier.Verify(
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3)));
            }
        }
        catch (DeltaLogCorruptionException e)
        {
            return (page, e);
        }

        return (page, null);
    }
}
