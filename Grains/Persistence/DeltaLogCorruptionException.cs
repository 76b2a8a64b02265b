namespace NeuroMesh.Persistence;

/// <summary>A stored record is torn or corrupt (checksum mismatch, missing version, unreadable row or page).</summary>
public sealed class DeltaLogCorruptionException : DeltaLogException
{
    /// <summary>Creates the exception.</summary>
    public DeltaLogCorruptionException(string streamId, long version, string reason, Exception? innerException = null)
        : base(streamId, $"corrupt delta log: stream '{streamId}', version {version}: {reason}", innerException)
    {
        Version = version;
        Reason = reason;
    }

    /// <summary>The version of the corrupt record (for a snapshot, the snapshot's version).</summary>
    public long Version { get; }

    /// <summary>What was wrong with it.</summary>
    public string Reason { get; }
}
