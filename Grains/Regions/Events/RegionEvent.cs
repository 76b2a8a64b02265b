namespace NeuroMesh.Regions.Events;

/// <summary>An event of a region's delta log.</summary>
[GenerateSerializer]
[Alias("NeuroMesh.Regions.Events.RegionEvent")]
public abstract record RegionEvent;
