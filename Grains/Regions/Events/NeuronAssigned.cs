namespace NeuroMesh.Regions.Events;

/// <summary>Placement map: a stand-alone neuron was assigned to a region.</summary>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.Events.NeuronAssigned")]
public sealed record NeuronAssigned([property: Id(0)] uint NeuronId, [property: Id(1)] RegionPath Region) : RegionEvent;
