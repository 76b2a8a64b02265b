namespace NeuroMesh.Regions;

/// <summary>
/// The cluster-wide map from neuron id to region that region-affine placement reads (one grain, key 0): stand-alone
/// neurons as their grains configure them, population neurons as ranges when a region is given its spec slice.
/// Event-sourced; an assignment never changes once made.
/// </summary>
public interface IRegionAssignmentsGrain : IGrainWithIntegerKey
{
    /// <summary>Assigns <paramref name="neuronId"/> to <paramref name="region"/>.</summary>
    /// <exception cref="ArgumentException">The neuron is already in another region.</exception>
    Task Assign(uint neuronId, string region);

    /// <summary>Assigns neurons <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 to <paramref name="region"/>.</summary>
    /// <exception cref="ArgumentException">The range overlaps neurons of another region.</exception>
    Task AssignRange(uint first, int count, string region);

    /// <summary>The region of <paramref name="neuronId"/>, or null when it has none.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<string?> RegionOf(uint neuronId);
}
