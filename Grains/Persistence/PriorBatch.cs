namespace NeuroMesh.Persistence;

/// <summary>Where a batch id was appended before, and a checksum of what it held.</summary>
internal sealed record PriorBatch(long FirstVersion, int Count, uint ContentChecksum)
{
    /// <summary>
    /// The answer to a retry: the original placement when the content matches, otherwise a mismatch error. The
    /// placement is returned whatever version the retry expected: the batch is in the log exactly once either way.
    /// </summary>
    public AppendResult Resolve(string streamId, DeltaBatch batch, uint contentChecksum)
        => Count == batch.Count && ContentChecksum == contentChecksum
            ? new AppendResult(streamId, FirstVersion, FirstVersion + Count - 1, Duplicate: true)
            : throw new DeltaBatchMismatchException(streamId, batch.Id, FirstVersion, FirstVersion + Count - 1);
}
