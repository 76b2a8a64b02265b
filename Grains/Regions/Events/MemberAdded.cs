namespace NeuroMesh.Regions.Events;

/// <summary>A stand-alone neuron joined the region.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.MemberAdded")]
public sealed record MemberAdded([property: Id(0)] uint NeuronId) : RegionEvent;
