namespace NeuroMesh.Simulation.Events;

/// <summary>
/// The run began at <paramref name="Tick"/> from the snapshot <paramref name="Sha256"/> of run <paramref name="SourceRun"/>
/// (a fork, or an imported file), with <paramref name="Changes"/> to its spec (none: it goes on exactly as the source).
/// Its ticks before <paramref name="Tick"/> are the source's; its replays start from that snapshot at the earliest.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunForked(
    [property: Id(0)] string SourceRun,
    [property: Id(1)] long Tick,
    [property: Id(2)] string Sha256,
    [property: Id(3)] string[] Changes) : SimulationEvent;
