namespace NeuroMesh.Persistence;

/// <summary>An append or write failed in a way that a retry with the same batch may fix (the write may or may not have happened).</summary>
public sealed class DeltaLogTransientException : DeltaLogException
{
    /// <summary>Creates the exception.</summary>
    public DeltaLogTransientException(string streamId, string message, Exception? innerException = null)
        : base(streamId, message, innerException)
    {
    }
}
