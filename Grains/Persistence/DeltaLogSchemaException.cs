namespace NeuroMesh.Persistence;

/// <summary>The database's schema cannot be used by this build (for example it was migrated by a newer NeuroMesh).</summary>
public sealed class DeltaLogSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeltaLogSchemaException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
