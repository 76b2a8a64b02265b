namespace NeuroMesh.Fabric;

/// <summary>Why a spike was not delivered to a reader, or not accepted from a producer.</summary>
public enum DropReason
{
    /// <summary>Overwrite policy: the producer lapped the reader and reused the slot before it was read.</summary>
    Overwritten = 0,

    /// <summary>The reader detached while the spike was still in flight for it.</summary>
    Detached = 1,

    /// <summary>Block policy: the producer's wait at the high-water mark timed out; the spike was never published.</summary>
    PublishTimeout = 2,

    /// <summary>Block policy: the producer's wait was cancelled; the spike was never published.</summary>
    PublishCancelled = 3,

    /// <summary>A second producer entered the ring while the first was publishing; its spike was refused.</summary>
    WriterConflict = 4,
}
