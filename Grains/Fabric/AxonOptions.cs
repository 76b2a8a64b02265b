namespace NeuroMesh.Fabric;

/// <summary>Configuration of one <see cref="Axon"/> ring.</summary>
public sealed record AxonOptions
{
    /// <summary>Number of slots; a power of two of at least 2.</summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>
    /// The most slots the ring may grow to (a power of two of at least <see cref="Capacity"/>; 0 means <see cref="Capacity"/>,
    /// a fixed ring). Block policy only: when the producer finds the ring full it first moves into a block twice the size,
    /// up to this, and waits (or refuses) only when it cannot. A ring sized by its traffic: an idle one stays small.
    /// </summary>
    public int MaxCapacity { get; init; }

    /// <summary>The largest capacity the ring may reach.</summary>
    public int EffectiveMaxCapacity => MaxCapacity == 0 ? Capacity : MaxCapacity;

    /// <summary>What happens when the producer is a full ring ahead of a reader.</summary>
    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Overwrite;

    /// <summary>
    /// Block policy: the producer waits once this many spikes are unconsumed by the slowest reader
    /// (1..<see cref="Capacity"/>; 0 means <see cref="Capacity"/>).
    /// </summary>
    public int HighWaterMark { get; init; }

    /// <summary>Block policy: how long <see cref="Axon.Publish(in Spikes.Spike)"/> waits for room before it gives up.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How readers wait in <see cref="AxonReader.WaitFor"/>.</summary>
    public WaitStrategy WaitStrategy { get; init; } = WaitStrategy.YieldThenPark;

    /// <summary>The high-water mark in force.</summary>
    public int EffectiveHighWaterMark => HighWaterMark == 0 ? Capacity : HighWaterMark;

    /// <summary>Throws a clear error for an invalid configuration.</summary>
    public void Validate()
    {
        if (Capacity < 2 || (Capacity & (Capacity - 1)) != 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(Capacity), $"Axon capacity must be a power of two of at least 2 (got {Capacity}).");
        }

        if (MaxCapacity != 0 && (MaxCapacity < Capacity || (MaxCapacity & (MaxCapacity - 1)) != 0))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(MaxCapacity), $"MaxCapacity must be a power of two of at least the capacity {Capacity}, or 0 for a fixed ring (got {MaxCapacity}).");
        }

        if (EffectiveMaxCapacity > Capacity && Overflow != OverflowPolicy.Block)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(MaxCapacity), $"Only a Block-policy ring can grow: under Overwrite a full ring loses its oldest spikes by design (MaxCapacity {MaxCapacity}, Capacity {Capacity}).");
        }

        if (HighWaterMark < 0 || HighWaterMark > Capacity)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(HighWaterMark), $"HighWaterMark must be between 1 and the capacity {Capacity}, or 0 for the capacity (got {HighWaterMark}).");
        }

        if (PublishTimeout < TimeSpan.Zero && PublishTimeout != Timeout.InfiniteTimeSpan)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(PublishTimeout), $"PublishTimeout must be non-negative or infinite (got {PublishTimeout}).");
        }

        if (!Enum.IsDefined(Overflow))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(Overflow), $"Unknown overflow policy {(int)Overflow}.");
        }

        if (!Enum.IsDefined(WaitStrategy))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(WaitStrategy), $"Unknown wait strategy {(int)WaitStrategy}.");
        }
    }
}
