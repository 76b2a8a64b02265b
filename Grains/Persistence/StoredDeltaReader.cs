namespace NeuroMesh.Persistence;

/// <summary>
/// Turns stored rows back into records, checking each one: the next expected version (no gap, no reordering), present
/// fields, and the checksum. Shared by every backend so that the rules are the same everywhere.
/// </summary>
internal sealed class StoredDeltaReader(string streamId, long fromVersion, long toVersion)
{
    /// <summary>The version the next row must carry.</summary>
    public long Next { get; private set; } = fromVersion;

    /// <summary>True once every version up to the end of the read was returned.</summary>
    public bool Done => Next > toVersion;

    public DeltaRecord Verify(long version, string? type, byte[]? payload, long? storedChecksum)
    {
        if (version != Next)
        {
            throw new DeltaLogCorruptionException(streamId, Next, version > Next
                ? $"version {Next} is missing (the next stored version is {version})"
                : $"version {version} appears out of order (expected {Next})");
        }

        if (type is null || payload is null || storedChecksum is null)
        {
            throw new DeltaLogCorruptionException(streamId, version, "the record has a missing field (torn row)");
        }

        var actual = DeltaChecksum.Record(streamId, version, type, payload);
        if ((uint)storedChecksum.Value != actual || storedChecksum.Value is < 0 or > uint.MaxValue)
        {
            throw new DeltaLogCorruptionException(streamId, version, $"checksum mismatch (stored 0x{storedChecksum.Value:x8}, computed 0x{actual:x8})");
        }

        Next++;
        return new DeltaRecord(streamId, version, type, payload);
    }

    /// <summary>Called when a page came back short: the versions the stream claims to hold are not all there.</summary>
    public DeltaLogCorruptionException Missing()
        => new(streamId, Next, $"version {Next} is missing (the stream is at version {toVersion})");

    /// <summary>
    /// Reads page after page until every version up to the end of the read was returned. The records before a bad one
    /// are returned and nothing after it; a short page is a concurrent truncation or a hole in the log.
    /// </summary>
    /// <param name="readPageFrom">Reads the page that starts at the given version, verifying each row with this reader.</param>
    /// <param name="readHead">Reads the stream's head again (to tell a truncation from a hole).</param>
    public async IAsyncEnumerable<DeltaRecord> ReadAllAsync(
        Func<long, Task<(List<DeltaRecord> Page, DeltaLogCorruptionException? Failure)>> readPageFrom,
        Func<Task<StreamHead?>> readHead)
    {
        while (!Done)
        {
            var (page, failure) = await readPageFrom(Next);
            foreach (var record in page)
            {
                yield return record;
            }

            if (failure is not null)
            {
                throw failure;
            }

            if (page.Count == 0)
            {
                var now = await readHead();
                throw now is not null && now.TruncatedThrough >= Next
                    ? new DeltaLogTruncatedException(streamId, Next, now.TruncatedThrough)
                    : Missing();
            }
        }
    }
}
