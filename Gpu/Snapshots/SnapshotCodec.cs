namespace NeuroMesh.Engine.Snapshots;

/// <summary>How the engine-state sections of a snapshot file are compressed (both codecs are the BCL's).</summary>
public enum SnapshotCodec
{
    /// <summary>Stored as they are.</summary>
    None = 0,

    /// <summary>zlib (DEFLATE), fastest level.</summary>
    Deflate = 1,

    /// <summary>Brotli, fastest level: the default (smaller than zlib at about the same speed on engine state).</summary>
    Brotli = 2,
}
