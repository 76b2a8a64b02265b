namespace NeuroMesh.Regions.Events;

/// <summary>The region was given populations and projections of a spec.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.SliceAssigned")]
public sealed record SliceAssigned([property: Id(0)] System.Collections.Immutable.ImmutableArray<PopulationSlice> Populations, [property: Id(1)] System.Collections.Immutable.ImmutableArray<ProjectionSlice> Projections) : RegionEvent;
