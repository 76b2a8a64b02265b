namespace NeuroMesh.Fabric;

/// <summary>A named byte range inside a silo's fabric arena.</summary>
/// <param name="Name">What the range holds.</param>
/// <param name="Offset">First byte, from the start of the arena.</param>
/// <param name="Length">Length in bytes.</param>
public readonly record struct FabricRegion(string Name, long Offset, long Length)
{
    /// <summary>One past the last byte.</summary>
    public long End => Offset + Length;
}
