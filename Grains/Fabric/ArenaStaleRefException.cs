using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>An <see cref="ArenaRef"/> from an earlier epoch: the arena was reset since its payload was written.</summary>
public sealed class ArenaStaleRefException : ArenaException
{
    /// <summary>Creates the exception.</summary>
    public ArenaStaleRefException(ArenaRef reference, uint currentEpoch)
        : base($"Stale {reference}: the arena is at epoch {currentEpoch}; the payload was discarded when the arena was reset.")
    {
        Reference = reference;
    }

    /// <summary>The stale reference.</summary>
    public ArenaRef Reference { get; }
}
