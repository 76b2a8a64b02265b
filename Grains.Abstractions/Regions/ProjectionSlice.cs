namespace NeuroMesh.Regions;

/// <summary>A projection that touches a region's populations.</summary>
/// <param name="Name">The projection's name in its spec.</param>
/// <param name="Source">The presynaptic population.</param>
/// <param name="Target">The postsynaptic population.</param>
/// <param name="Channel">excitatory, inhibitory or modulatory.</param>
/// <param name="Internal">True when both ends are populations of this region.</param>
/// <param name="Plastic">True when the projection has a learning rule.</param>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.ProjectionSlice")]
public sealed record ProjectionSlice(
    [property: Id(0)] string Name,
    [property: Id(1)] string Source,
    [property: Id(2)] string Target,
    [property: Id(3)] string Channel,
    [property: Id(4)] bool Internal,
    [property: Id(5)] bool Plastic);
