namespace NeuroMesh.Regions.Events;

/// <summary>A stand-alone neuron left the region.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.MemberRemoved")]
public sealed record MemberRemoved([property: Id(0)] uint NeuronId) : RegionEvent;
