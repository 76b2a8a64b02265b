namespace NeuroMesh.Persistence;

/// <summary>An append expected a stream version that is not the stream's version (another writer got there first).</summary>
public sealed class DeltaLogVersionConflictException : DeltaLogException
{
    /// <summary>Creates the exception.</summary>
    public DeltaLogVersionConflictException(string streamId, long expectedVersion, long actualVersion)
        : base(streamId, $"version conflict on stream '{streamId}': the append expected version {expectedVersion} but the stream is at version {actualVersion}")
    {
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The version the append expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The stream's version when the append was refused.</summary>
    public long ActualVersion { get; }
}
