using System.Runtime.InteropServices;

namespace NeuroMesh.Fabric;

/// <summary>A <see cref="long"/> alone on its cache line: 64 bytes of padding on each side.</summary>
/// <remarks>Callers choose the ordering: <see cref="Volatile"/> or <see cref="Interlocked"/> on <see cref="Value"/>.</remarks>
[StructLayout(LayoutKind.Explicit, Size = CacheLine.PaddingSize)]
public struct PaddedLong
{
    /// <summary>The value, at offset 64.</summary>
    [FieldOffset(64)] public long Value;
}
