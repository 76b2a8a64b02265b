namespace NeuroMesh.Fabric.Wire;

/// <summary>Why a received spike frame was rejected. A rejected frame delivers nothing.</summary>
public enum SpikeFrameRejection
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>Shorter than a header, or shorter than its spike count says.</summary>
    Truncated,

    /// <summary>Longer than its spike count says.</summary>
    TrailingBytes,

    /// <summary>Not a spike frame (wrong magic).</summary>
    BadMagic,

    /// <summary>A format version this silo does not know.</summary>
    UnknownVersion,

    /// <summary>The header is malformed: reserved bytes set, unknown flags, or a tick range that runs backwards.</summary>
    MalformedHeader,

    /// <summary>The CRC32C does not match the contents.</summary>
    BadChecksum,

    /// <summary>A frame whose sequence this receiver has already accepted from that sender.</summary>
    Replayed,

    /// <summary>A well-formed frame from a sender that is not a peer of the receiving shard (unknown, or the shard itself).</summary>
    UnknownSender,

    /// <summary>A well-formed frame for another window than the one the receiving shard is completing (one already closed).</summary>
    OutsideWindow,
}
