namespace NeuroMesh.Regions.Events;

/// <summary>A child region recorded something for the first time.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.ChildAdded")]
public sealed record ChildAdded([property: Id(0)] RegionPath Child) : RegionEvent;
