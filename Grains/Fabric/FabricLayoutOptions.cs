namespace NeuroMesh.Fabric;

/// <summary>The sizes a <see cref="FabricLayout"/> is computed from. Start from <see cref="FabricLayout.Preset"/> and adjust.</summary>
public sealed record FabricLayoutOptions
{
    /// <summary>Total arena size in bytes; a power of two of at least 1 MiB.</summary>
    public long TotalBytes { get; init; }

    /// <summary>Number of full-size rings the ring region holds (the ring pool, in units of <see cref="RingCapacity"/> slots).</summary>
    public int RingCount { get; init; }

    /// <summary>Slots of a full-size ring (the most a ring may grow to); a power of two of at least 2.</summary>
    public int RingCapacity { get; init; }

    /// <summary>
    /// Slots of the smallest ring the pool hands out, where a growable (agent) ring starts; a power of two of at least 2
    /// and at most <see cref="RingCapacity"/>. 0 means <see cref="RingCapacity"/> (every ring full size).
    /// </summary>
    public int MinRingCapacity { get; init; }

    /// <summary>Bytes for the payload arena (large spike payloads); a multiple of 64 of at least <see cref="Arena.MinimumCapacity"/>.</summary>
    public long PayloadBytes { get; init; }

    /// <summary>Bytes reserved for state arrays (structure-of-arrays neuron state); a multiple of 64, may be zero.</summary>
    public long StateBytes { get; init; }
}
