namespace NeuroMesh.Fabric;

/// <summary>
/// The lifecycle of a ring slot as one reader sees it: FREE → READY (published) → CONSUMING (the reader's
/// handler holds it) → FEEDBACK (the reader records delivery counters) → FREE (the reader's cursor passed it).
/// </summary>
public enum SlotState
{
    /// <summary>Not yet published, already consumed, or overwritten.</summary>
    Free,

    /// <summary>Published and waiting for the reader.</summary>
    Ready,

    /// <summary>Claimed by the reader's current drain; its handler is running.</summary>
    Consuming,

    /// <summary>Handled; the reader is recording feedback counters before it releases the slot.</summary>
    Feedback,
}
