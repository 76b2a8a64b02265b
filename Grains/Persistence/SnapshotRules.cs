namespace NeuroMesh.Persistence;

/// <summary>The snapshot and truncation rules, shared by every backend so that each refuses the same things the same way.</summary>
internal static class SnapshotRules
{
    public static void CheckWrite(string streamId, DeltaSnapshot snapshot, StreamHead? head, long? storedVersion)
    {
        if (head is null)
        {
            throw new ArgumentException($"stream '{streamId}' does not exist; append to it before writing a snapshot", nameof(streamId));
        }

        if (snapshot.Version > head.Version)
        {
            throw new ArgumentException($"a snapshot of stream '{streamId}' at version {snapshot.Version} is beyond the stream's version {head.Version}", nameof(snapshot));
        }

        if (storedVersion > snapshot.Version)
        {
            throw new ArgumentException($"a snapshot of stream '{streamId}' at version {snapshot.Version} is older than the stored one at version {storedVersion}", nameof(snapshot));
        }
    }

    /// <summary>Checks a truncation; false when there is nothing left to remove.</summary>
    public static bool CheckTruncate(string streamId, long throughVersion, StreamHead? head, long? snapshotVersion)
    {
        if (head is null)
        {
            throw new ArgumentException($"stream '{streamId}' does not exist; there is nothing to truncate", nameof(streamId));
        }

        if (throughVersion > head.Version)
        {
            throw new ArgumentException($"truncation of stream '{streamId}' through version {throughVersion} is beyond the stream's version {head.Version}", nameof(throughVersion));
        }

        if (snapshotVersion is null || snapshotVersion < throughVersion)
        {
            var stored = snapshotVersion is null ? "it has none" : $"the latest is at version {snapshotVersion}";
            throw new InvalidOperationException($"truncation of stream '{streamId}' through version {throughVersion} needs a snapshot at that version or later; {stored}");
        }

        return throughVersion > head.TruncatedThrough;
    }

    public static DeltaSnapshot Verify(string streamId, long version, byte[]? data, long? storedChecksum)
    {
        if (data is null || storedChecksum is null)
        {
            throw new DeltaLogCorruptionException(streamId, version, "the snapshot has a missing field (torn row)");
        }

        var actual = DeltaChecksum.Snapshot(streamId, version, data);
        if (storedChecksum.Value != actual)
        {
            throw new DeltaLogCorruptionException(streamId, version, $"snapshot checksum mismatch (stored 0x{storedChecksum.Value:x8}, computed 0x{actual:x8})");
        }

        return new DeltaSnapshot(version, data);
    }
}
