using System.Runtime.InteropServices;

namespace NeuroMesh.Spikes;

/// <summary>
/// A reference to a payload block in an arena: the block's offset, the payload length and the arena epoch
/// in which the block was allocated. It is 16 bytes and travels inside a spike's inline payload.
/// </summary>
/// <remarks>
/// A reference is only a claim. The arena validates it (epoch, bounds, alignment and block header) before
/// it hands out any memory, so a stale or forged reference produces an error, never a read of a neighbour.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public readonly record struct ArenaRef
{
    /// <summary>The size of an <see cref="ArenaRef"/> in bytes.</summary>
    public const int Size = 16;

    /// <summary>Creates a reference.</summary>
    public ArenaRef(long offset, int length, uint epoch)
    {
        Offset = offset;
        Length = length;
        Epoch = epoch;
    }

    /// <summary>Offset of the block (its header) from the start of the arena; always a multiple of 64.</summary>
    [field: FieldOffset(0)]
    public long Offset { get; }

    /// <summary>Payload length in bytes.</summary>
    [field: FieldOffset(8)]
    public int Length { get; }

    /// <summary>The arena epoch in which the block was allocated.</summary>
    [field: FieldOffset(12)]
    public uint Epoch { get; }

    /// <inheritdoc />
    public override string ToString() => $"ArenaRef(offset={Offset}, length={Length}, epoch={Epoch})";
}
