namespace NeuroMesh.Simulation.Events;

/// <summary>The run reached <paramref name="Tick"/>; the spike train of ticks 0..Tick hashes to <paramref name="SpikeTrainHash"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record RunCheckpointed([property: Id(0)] long Tick, [property: Id(1)] long Spikes, [property: Id(2)] string SpikeTrainHash) : SimulationEvent;
