namespace NeuroMesh.Regions.Events;

/// <summary>The card of a neuron, owned by this region or a descendant (Owner), was removed.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.CardDropped")]
public sealed record CardDropped([property: Id(0)] RegionPath Owner, [property: Id(1)] uint NeuronId) : RegionEvent;
