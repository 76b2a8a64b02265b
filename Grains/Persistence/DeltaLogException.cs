namespace NeuroMesh.Persistence;

/// <summary>The base of every error the delta-log store reports about a stream.</summary>
public class DeltaLogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeltaLogException(string streamId, string message, Exception? innerException = null)
        : base(message, innerException) => StreamId = streamId;

    /// <summary>The stream concerned.</summary>
    public string StreamId { get; }
}
