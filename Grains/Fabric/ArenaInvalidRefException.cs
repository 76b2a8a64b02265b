using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>An <see cref="ArenaRef"/> that does not name a live block: out of bounds, misaligned, forged, or already released.</summary>
public sealed class ArenaInvalidRefException : ArenaException
{
    /// <summary>Creates the exception.</summary>
    public ArenaInvalidRefException(ArenaRef reference, string reason)
        : base($"Invalid {reference}: {reason}.")
    {
        Reference = reference;
    }

    /// <summary>The invalid reference.</summary>
    public ArenaRef Reference { get; }
}
