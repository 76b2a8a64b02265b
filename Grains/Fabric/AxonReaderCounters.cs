namespace NeuroMesh.Fabric;

/// <summary>
/// One reader's accounting. It holds exactly: <c>Published = Consumed + DroppedOverwritten + DroppedDetached + InFlight</c>,
/// where <c>Published</c> counts the spikes published since the reader attached.
/// </summary>
/// <param name="Published">Spikes published since this reader attached.</param>
/// <param name="Consumed">Spikes handed to this reader.</param>
/// <param name="DroppedOverwritten">Spikes the producer overwrote before this reader got to them (Overwrite policy).</param>
/// <param name="DroppedDetached">Spikes still in flight when the reader detached.</param>
/// <param name="InFlight">Spikes published and not yet consumed or dropped.</param>
public readonly record struct AxonReaderCounters(long Published, long Consumed, long DroppedOverwritten, long DroppedDetached, long InFlight)
{
    /// <summary>All drops, whatever the reason.</summary>
    public long Dropped => DroppedOverwritten + DroppedDetached;

    /// <summary>True when every published spike is consumed, dropped with a reason, or in flight.</summary>
    public bool Balances => Published == Consumed + Dropped + InFlight;
}
