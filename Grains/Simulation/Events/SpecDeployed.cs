namespace NeuroMesh.Simulation.Events;

/// <summary>The run's spec was deployed.</summary>
/// <param name="SpecJson">The spec, as canonical JSON.</param>
/// <param name="SpecHash">SHA-256 of <paramref name="SpecJson"/>.</param>
/// <param name="Seed">The seed the run uses.</param>
/// <param name="TotalTicks">Ticks in the spec's duration.</param>
/// <param name="Silos">How many silos the run asked for (0: every active silo). The results do not depend on it.</param>
[GenerateSerializer, Immutable]
public sealed record SpecDeployed([property: Id(0)] string SpecJson, [property: Id(1)] string SpecHash, [property: Id(2)] ulong Seed, [property: Id(3)] long TotalTicks, [property: Id(4)] int Silos = 0) : SimulationEvent;
