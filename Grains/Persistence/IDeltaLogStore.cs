namespace NeuroMesh.Persistence;

/// <summary>
/// An append-only, checksummed log of deltas per stream, with optimistic concurrency, idempotent appends and snapshots.
/// </summary>
/// <remarks>
/// <para>Versions are 1-based and contiguous: a stream at version <c>v</c> holds deltas <c>1..v</c> (less any truncated
/// prefix). An append names the version it expects the stream to be at; the batch's deltas get versions
/// <c>expected+1 .. expected+count</c>, atomically, or the append fails with
/// <see cref="DeltaLogVersionConflictException"/>.</para>
/// <para>A confirmed append (the returned task completed) is durable. Appending a batch again with the same
/// <see cref="DeltaBatch.Id"/> and content returns the original placement with <see cref="AppendResult.Duplicate"/> set,
/// and writes nothing: a caller that lost the acknowledgement retries safely.</para>
/// <para>Every record carries a CRC-32C over stream id, version, type and payload; a record that fails it is reported
/// with <see cref="DeltaLogCorruptionException"/>, never skipped.</para>
/// <para>The shape suits an Orleans custom-storage log-consistency provider: <see cref="GetStreamAsync"/> and
/// <see cref="ReadSnapshotAsync"/> plus <see cref="ReadAsync"/> rebuild the state, and <see cref="AppendAsync"/> maps a
/// version conflict to <c>ApplyUpdatesToStorage</c> returning false.</para>
/// </remarks>
public interface IDeltaLogStore : IAsyncDisposable
{
    /// <summary>Appends a batch to a stream if the stream is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="streamId">The stream (1 to 512 characters, no control characters); created by its first append.</param>
    /// <param name="expectedVersion">The version the caller believes the stream is at (0 for a new stream).</param>
    /// <param name="batch">The deltas and the idempotency id.</param>
    /// <param name="cancellationToken">Cancels the append; a cancelled append may or may not have been written (retry it).</param>
    /// <returns>The versions written, or the original ones when the batch had been appended before.</returns>
    /// <exception cref="DeltaLogVersionConflictException">The stream is at another version and the batch was not appended before.</exception>
    /// <exception cref="DeltaBatchMismatchException">The batch id was used before for different content.</exception>
    Task<AppendResult> AppendAsync(string streamId, long expectedVersion, DeltaBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the deltas of a stream from <paramref name="fromVersion"/> up to the stream's version when the read
    /// starts, in order, a page at a time (memory stays bounded however long the stream is).
    /// </summary>
    /// <exception cref="DeltaLogCorruptionException">A record fails its checksum, or a version is missing.</exception>
    /// <exception cref="DeltaLogTruncatedException"><paramref name="fromVersion"/> lies in the truncated prefix.</exception>
    IAsyncEnumerable<DeltaRecord> ReadAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default);

    /// <summary>Where a stream stands, or null when it was never appended to.</summary>
    Task<DeltaStreamInfo?> GetStreamAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Every stream, ordered by id (ordinal), a page at a time.</summary>
    IAsyncEnumerable<DeltaStreamInfo> ListStreamsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a stream's latest snapshot, replacing an older one.</summary>
    /// <exception cref="ArgumentException">The stream does not exist, the snapshot's version is beyond the stream's
    /// version, or it is older than the stored snapshot.</exception>
    Task WriteSnapshotAsync(string streamId, DeltaSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The stream's latest snapshot, or null when it has none.</summary>
    /// <exception cref="DeltaLogCorruptionException">The snapshot fails its checksum.</exception>
    Task<DeltaSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the deltas up to and including <paramref name="throughVersion"/>; allowed only when a snapshot at that
    /// version or later is stored. Nothing else ever removes a delta.
    /// </summary>
    /// <returns>How many deltas were removed (0 when they were already gone).</returns>
    /// <exception cref="ArgumentException">The stream does not exist, or the version is beyond the stream's version.</exception>
    /// <exception cref="InvalidOperationException">No snapshot covers <paramref name="throughVersion"/>.</exception>
    Task<long> TruncateAsync(string streamId, long throughVersion, CancellationToken cancellationToken = default);
}
