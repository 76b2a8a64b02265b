using System.Runtime.InteropServices;

namespace NeuroMesh.Fabric;

/// <summary>
/// The first 192 bytes of every arena, shared by every process that maps it: identity on the first line, the
/// bump cursor and the live-block count each alone on their own line (they are the contended fields).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct ArenaHeader
{
    public const int Size = 3 * 64;
    public const ulong ExpectedMagic = 0x3141_4E45_5241_4D4E; // "NMARENA1", little-endian
    public const int CurrentVersion = 1;

    [FieldOffset(0)] public ulong Magic;
    [FieldOffset(8)] public int Version;
    [FieldOffset(16)] public long Capacity;
    [FieldOffset(24)] public uint Epoch;

    /// <summary>Offset of the next free byte; advanced with <see cref="Interlocked.Add(ref long, long)"/>. May pass the capacity when allocations fail.</summary>
    [FieldOffset(64)] public long Next;

    /// <summary>Blocks allocated in this epoch whose reference count has not yet reached zero.</summary>
    [FieldOffset(128)] public long LiveBlocks;
}
