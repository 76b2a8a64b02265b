namespace NeuroMesh.Regions.Events;

/// <summary>Placement map: a range of population neurons was assigned to a region.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.RangeAssigned")]
public sealed record RangeAssigned([property: Id(0)] uint First, [property: Id(1)] int Count, [property: Id(2)] RegionPath Region) : RegionEvent;
