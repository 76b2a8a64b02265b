namespace NeuroMesh.Simulation.Events;

/// <summary>
/// An engine snapshot of the run at the checkpoint of <paramref name="Tick"/> is stored (<paramref name="Bytes"/> bytes
/// whose SHA-256 is <paramref name="Sha256"/>), written by <paramref name="Shards"/> shards; the shards were held for
/// <paramref name="StallMs"/> while it was copied. Logged only after the store confirmed the write.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunSnapshotted(
    [property: Id(0)] long Tick,
    [property: Id(1)] string Sha256,
    [property: Id(2)] long Bytes,
    [property: Id(3)] int Shards,
    [property: Id(4)] double StallMs) : SimulationEvent;
