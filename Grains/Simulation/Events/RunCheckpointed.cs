namespace NeuroMesh.Simulation.Events;

/// <summary>
/// The run reached <paramref name="Tick"/>; the spike train of ticks 0..Tick hashes to <paramref name="SpikeTrainHash"/>, and
/// the plastic weights that changed since the previous checkpoint digest to <paramref name="WeightDiffDigest"/> (empty when
/// none changed; the diff itself is the <see cref="WeightsChanged"/> logged just before).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunCheckpointed(
    [property: Id(0)] long Tick,
    [property: Id(1)] long Spikes,
    [property: Id(2)] string SpikeTrainHash,
    [property: Id(3)] string WeightDiffDigest = "") : SimulationEvent;
