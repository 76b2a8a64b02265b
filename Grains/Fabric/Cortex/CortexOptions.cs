using NeuroMesh.Agents;

namespace NeuroMesh.Fabric;

/// <summary>Configuration of an <see cref="Cortex"/>.</summary>
public sealed record CortexOptions
{
    /// <summary>Neurons the mesh can host at once (ignored when the mesh is given a fabric: the fabric's ring pool is then the limit).</summary>
    public int MaxNeurons { get; init; } = 64;

    /// <summary>The most slots a neuron's Axon grows to, a power of two; it starts at up to 16 (ignored when the mesh is given a fabric).</summary>
    public int RingCapacity { get; init; } = 1024;

    /// <summary>Bytes of payload arena for large payloads (ignored when the mesh is given a fabric).</summary>
    public long PayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>How the free-running loop waits for spikes when it is idle.</summary>
    public WaitStrategy WaitStrategy { get; init; } = WaitStrategy.YieldThenPark;

    /// <summary>Free-running only: with ticking behaviours present, an idle mesh still runs a pass this often.</summary>
    public TimeSpan IdleTickInterval { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How many recent behaviour faults <see cref="Cortex.RecentFaults"/> keeps.</summary>
    public int RecentFaultCapacity { get; init; } = 100;

    /// <summary>Throws a clear error for an invalid configuration.</summary>
    public void Validate()
    {
        if (MaxNeurons < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNeurons), $"An agent mesh needs room for at least one neuron (MaxNeurons = {MaxNeurons}).");
        }

        if (RingCapacity < 2 || (RingCapacity & (RingCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RingCapacity), $"RingCapacity must be a power of two of at least 2 (got {RingCapacity}).");
        }

        if (PayloadBytes < Arena.MinimumCapacity || PayloadBytes % 64 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PayloadBytes), $"PayloadBytes must be a multiple of 64 of at least {Arena.MinimumCapacity} (got {PayloadBytes}).");
        }

        if (!Enum.IsDefined(WaitStrategy))
        {
            throw new ArgumentOutOfRangeException(nameof(WaitStrategy), $"Unknown wait strategy {(int)WaitStrategy}.");
        }

        if (IdleTickInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTickInterval), $"IdleTickInterval must be positive (got {IdleTickInterval}).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(RecentFaultCapacity);
    }

    /// <summary>The smallest fabric layout that holds <see cref="MaxNeurons"/> rings and the payload arena.</summary>
    public FabricLayout ToLayout()
    {
        Validate();
        var ringBytes = (long)RingCapacity * Spikes.Spike.Size;
        var needed = FabricLayout.HeaderBytes + (ringBytes * MaxNeurons) + 4096 + PayloadBytes;
        var total = Math.Max(1L << 20, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)needed));
        return FabricLayout.Create(new FabricLayoutOptions
        {
            TotalBytes = total,
            RingCount = MaxNeurons,
            RingCapacity = RingCapacity,
            MinRingCapacity = Math.Min(FabricLayout.DefaultMinRingCapacity, RingCapacity),
            PayloadBytes = PayloadBytes,
            StateBytes = 0,
        });
    }
}
