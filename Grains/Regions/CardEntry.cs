using NeuroMesh.Agents;

namespace NeuroMesh.Regions;

/// <summary>A card a region indexes, and the region (this one or a descendant) that owns it.</summary>
/// <param name="Owner">The region the card was registered in.</param>
/// <param name="Card">The card.</param>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.CardEntry")]
public sealed record CardEntry([property: Id(0)] RegionPath Owner, [property: Id(1)] AgentCard Card);
