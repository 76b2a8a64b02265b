namespace NeuroMesh.Fabric;

/// <summary>Producer-side counters of an <see cref="Axon"/>, read at one moment.</summary>
/// <param name="Published">Spikes written into the ring.</param>
/// <param name="RejectedTimeout">Spikes refused because the Block-policy wait timed out.</param>
/// <param name="RejectedCancelled">Spikes refused because the Block-policy wait was cancelled.</param>
/// <param name="WriterConflicts">Times a second producer was caught inside the ring; each of those spikes was refused.</param>
/// <param name="HighWaterHits">Times the producer reached the high-water mark and had to wait.</param>
/// <param name="Readers">Readers attached now.</param>
public readonly record struct AxonCounters(long Published, long RejectedTimeout, long RejectedCancelled, long WriterConflicts, long HighWaterHits, int Readers)
{
    /// <summary>Every spike offered to the producer: published or refused with a reason.</summary>
    public long Offered => Published + RejectedTimeout + RejectedCancelled + WriterConflicts;
}
