namespace NeuroMesh.Regions;

/// <summary>The Orleans wire form of a <see cref="RegionPath"/>: its normalised text.</summary>
[GenerateSerializer, Immutable]
public readonly record struct RegionPathSurrogate
{
    /// <summary>Creates the surrogate of a path.</summary>
    public RegionPathSurrogate(string value) => Value = value;

    /// <summary>The normalised text; <c>/</c> for the root.</summary>
    [Id(0)]
    public string Value { get; init; }
}
