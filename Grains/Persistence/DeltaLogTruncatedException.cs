namespace NeuroMesh.Persistence;

/// <summary>A read asked for versions that were removed by an explicit truncation; start from the snapshot instead.</summary>
public sealed class DeltaLogTruncatedException : DeltaLogException
{
    /// <summary>Creates the exception.</summary>
    public DeltaLogTruncatedException(string streamId, long fromVersion, long truncatedThrough)
        : base(streamId, $"stream '{streamId}' is truncated through version {truncatedThrough}; a read from version {fromVersion} must start at {truncatedThrough + 1} (after the snapshot)")
    {
        FromVersion = fromVersion;
        TruncatedThrough = truncatedThrough;
    }

    /// <summary>The version the read asked for.</summary>
    public long FromVersion { get; }

    /// <summary>The last version removed by truncation.</summary>
    public long TruncatedThrough { get; }
}
