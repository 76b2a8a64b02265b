namespace NeuroMesh.Persistence;

/// <summary>A batch id was appended before with different content: ids must not be reused for new batches.</summary>
public sealed class DeltaBatchMismatchException : DeltaLogException
{
    /// <summary>Creates the exception.</summary>
    public DeltaBatchMismatchException(string streamId, Guid batchId, long firstVersion, long lastVersion)
        : base(streamId, $"batch {batchId} was already appended to stream '{streamId}' at versions {firstVersion}..{lastVersion} with different content; use a new batch id for new deltas")
    {
        BatchId = batchId;
    }

    /// <summary>The reused batch id.</summary>
    public Guid BatchId { get; }
}
