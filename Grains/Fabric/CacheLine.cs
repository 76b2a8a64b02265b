namespace NeuroMesh.Fabric;

/// <summary>Cache-line geometry used to pad shared fields.</summary>
public static class CacheLine
{
    /// <summary>
    /// Padding unit: 128 bytes. That is the line size on ARM64 and the adjacent-line prefetch pair on x64,
    /// so two values 128 bytes apart never share a line on either.
    /// </summary>
    public const int PaddingSize = 128;

    /// <summary>Alignment of slots and arena blocks: one x64 cache line, and one spike.</summary>
    public const int Alignment = 64;
}
