using System.Runtime.InteropServices;

namespace NeuroMesh.Fabric;

/// <summary>The 16 bytes in front of every arena payload: what the block is, and who still holds it.</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct ArenaBlockHeader
{
    public const int Size = 16;
    public const uint ExpectedMagic = 0x4B4C_424E; // "NBLK"

    [FieldOffset(0)] public uint Magic;
    [FieldOffset(4)] public uint Epoch;
    [FieldOffset(8)] public int Length;

    /// <summary>References held; the block is live while it is positive. Changed only with <see cref="Interlocked"/>.</summary>
    [FieldOffset(12)] public int RefCount;
}
