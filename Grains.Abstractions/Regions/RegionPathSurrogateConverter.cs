namespace NeuroMesh.Regions;

/// <summary>Lets Orleans serialise <see cref="RegionPath"/> through <see cref="RegionPathSurrogate"/>; the text is validated again on arrival.</summary>
[RegisterConverter]
public sealed class RegionPathSurrogateConverter : IConverter<RegionPath, RegionPathSurrogate>
{
    /// <inheritdoc />
    public RegionPath ConvertFromSurrogate(in RegionPathSurrogate surrogate) => RegionPath.Parse(surrogate.Value);

    /// <inheritdoc />
    public RegionPathSurrogate ConvertToSurrogate(in RegionPath value) => new(value.ToString());
}
