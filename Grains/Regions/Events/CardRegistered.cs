namespace NeuroMesh.Regions.Events;

/// <summary>A card owned by this region or by a descendant (Owner) was registered or replaced.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.CardRegistered")]
public sealed record CardRegistered([property: Id(0)] RegionPath Owner, [property: Id(1)] NeuroMesh.Agents.AgentCard Card) : RegionEvent;
