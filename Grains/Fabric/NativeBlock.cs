using System.Runtime.InteropServices;

namespace NeuroMesh.Fabric;

/// <summary>
/// A block of zeroed, 64-byte-aligned native memory. Native memory never moves, so it is pinned for its
/// whole life and pointers into it stay valid until <see cref="Dispose"/>.
/// </summary>
public sealed unsafe class NativeBlock : IDisposable
{
    private byte* _raw;
    private byte* _pointer;

    /// <summary>Allocates <paramref name="length"/> zeroed bytes aligned to <paramref name="alignment"/>.</summary>
    public NativeBlock(long length, int alignment = CacheLine.Alignment)
    {
        if (length <= 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(length), $"A native block needs a positive length (got {length}).");
        }

        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(alignment), $"Alignment must be a power of two (got {alignment}).");
        }

        // Zeroed by the allocator: a large block comes straight from the OS as zero pages, which take memory only once
        // touched, so a fabric's ring pool sized for many agents costs what its leased rings use, not its size.
        _raw = (byte*)NativeMemory.AllocZeroed((nuint)(length + alignment));
        _pointer = (byte*)(((nint)_raw + alignment - 1) & ~(nint)(alignment - 1));
        Length = length;
        GC.AddMemoryPressure(length);
    }

    /// <summary>Length in bytes.</summary>
    public long Length { get; }

    /// <summary>The first byte; valid until the block is disposed.</summary>
    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeBlock));

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        var raw = _raw;
        _pointer = null;
        _raw = null;
        if (raw != null)
        {
            NativeMemory.Free(raw);
            GC.RemoveMemoryPressure(Length);
        }
    }
}
