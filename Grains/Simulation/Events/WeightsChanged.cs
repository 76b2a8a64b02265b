namespace NeuroMesh.Simulation.Events;

/// <summary>
/// STDP changed these plastic weights between the previous checkpoint and the one at <paramref name="Tick"/>: a sparse
/// diff, exact (fixed-point) and in canonical synapse order, so the weights of a run at any checkpoint can be audited from
/// its log, and a replay is checked against it. Logged only when some weight changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WeightsChanged([property: Id(0)] long Tick, [property: Id(1)] PlasticWeightDiff Diff) : SimulationEvent;
