namespace NeuroMesh.Fabric;

/// <summary>A <see cref="SpikeFabric"/>'s ring pool has no free block of the size asked for; nothing was leased.</summary>
public sealed class FabricFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public FabricFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FabricFullException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public FabricFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
