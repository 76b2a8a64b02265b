using System.Runtime.InteropServices;

namespace NeuroMesh.Fabric;

/// <summary>
/// The producer's private fields, on their own cache line: the cached gating limit, the single-writer
/// guard and the producer-side counters. Only the producer writes them (the conflict counter excepted,
/// which is updated with <see cref="Interlocked"/>); other threads read the counters with <see cref="Volatile.Read(ref readonly long)"/>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * 64)]
internal struct ProducerState
{
    /// <summary>Block policy: sequences below this may be written without looking at the readers again.</summary>
    [FieldOffset(64)] public long GateLimit;

    [FieldOffset(72)] public long RejectedTimeout;
    [FieldOffset(80)] public long RejectedCancelled;
    [FieldOffset(88)] public long WriterConflicts;
    [FieldOffset(96)] public long HighWaterHits;

    /// <summary>Non-zero while a producer is inside a publish call (the single-writer guard).</summary>
    [FieldOffset(104)] public int WriterActive;
}
