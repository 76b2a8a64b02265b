namespace NeuroMesh.Fabric;

/// <summary>Base of the arena's errors. Each kind has its own type so that callers can tell them apart.</summary>
public abstract class ArenaException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    protected ArenaException(string message)
        : base(message)
    {
    }
}
