namespace NeuroMesh.Fabric;

/// <summary>The arena has no room for a block of the requested size in the current epoch. Nothing was written.</summary>
public sealed class ArenaOutOfSpaceException : ArenaException
{
    /// <summary>Creates the exception.</summary>
    public ArenaOutOfSpaceException(int requested, long free, long capacity)
        : base($"Arena out of space: a payload of {requested} bytes needs {Arena.BlockSizeFor(requested)} bytes, but only {free} of {capacity} bytes are free in this epoch. Release payloads and reset the epoch, or size the payload area larger.")
    {
        Requested = requested;
    }

    /// <summary>The payload length that did not fit.</summary>
    public int Requested { get; }
}
