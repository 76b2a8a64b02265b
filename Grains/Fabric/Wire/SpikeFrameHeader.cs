using System.Runtime.InteropServices;

namespace NeuroMesh.Fabric.Wire;

/// <summary>
/// The 64-byte header of a spike frame, the compact binary block in which a batch of spikes crosses silos.
/// Layout: 0 magic, 4 version, 5 flags, 8 count, 12 CRC32C, 16 sender, 24 sequence, 32 first tick, 40 last tick,
/// 48..63 reserved (zero). The spikes follow, 64 bytes each, so they stay aligned in the frame.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct SpikeFrameHeader
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 64;

    /// <summary>"NMSF", little-endian.</summary>
    public const uint ExpectedMagic = 0x4653_4D4E;

    /// <summary>The only format version so far.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Identifies the format.</summary>
    [FieldOffset(0)] public uint Magic;

    /// <summary>Format version.</summary>
    [FieldOffset(4)] public byte Version;

    /// <summary>Frame flags.</summary>
    [FieldOffset(5)] public SpikeFrameFlags Flags;

    /// <summary>Number of spikes after the header.</summary>
    [FieldOffset(8)] public uint Count;

    /// <summary>CRC32C over the header (with this field zero) and every spike.</summary>
    [FieldOffset(12)] public uint Crc;

    /// <summary>The sending silo's stream key.</summary>
    [FieldOffset(16)] public ulong Sender;

    /// <summary>Per-sender frame sequence, starting at 1 and rising by one per frame.</summary>
    [FieldOffset(24)] public ulong Sequence;

    /// <summary>First tick the frame covers (lockstep: the window's first tick).</summary>
    [FieldOffset(32)] public ulong FirstTick;

    /// <summary>Last tick the frame covers, inclusive.</summary>
    [FieldOffset(40)] public ulong LastTick;
}
