namespace NeuroMesh.Fabric;

/// <summary>What an <see cref="Axon"/> does when its producer gets a full ring ahead of a reader.</summary>
public enum OverflowPolicy
{
    /// <summary>Simulation semantics: the producer never waits; the oldest spikes are overwritten and counted as dropped by each reader that missed them.</summary>
    Overwrite,

    /// <summary>Agent semantics: the producer waits at the high-water mark until the slowest reader makes room, or its timeout or cancellation ends the wait.</summary>
    Block,
}
