namespace NeuroMesh.Fabric;

/// <summary>Configuration of one <see cref="Axon"/> ring.</summary>
public sealed record AxonOptions
{
    /// <summary>Number of slots; a power of two of at least 2.</summary>
    public int Capacity { get; init; } = 4096;

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
