namespace NeuroMesh.Persistence;

/// <summary>What <see cref="FaultInjectingDeltaLogStore"/> injects. Probabilities are 0 to 1 and apply per call.</summary>
public sealed class DeltaLogFaultOptions
{
    /// <summary>Added before every call reaches the inner store.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The chance that an append or snapshot write fails before it reaches the inner store (nothing written).</summary>
    public double FailureBeforeWrite { get; set; }

    /// <summary>The chance that an append or snapshot write reaches the inner store and succeeds, and the caller still
    /// gets a failure: the acknowledgement is lost.</summary>
    public double FailureAfterWrite { get; set; }

    /// <summary>The random seed, so that a run's faults can be replayed.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (Latency < TimeSpan.Zero)
        {
            throw new ArgumentException($"DeltaLogFaultOptions.Latency is {Latency}; it must not be negative");
        }

        if (FailureBeforeWrite is < 0 or > 1 || double.IsNaN(FailureBeforeWrite))
        {
            throw new ArgumentException($"DeltaLogFaultOptions.FailureBeforeWrite is {FailureBeforeWrite}; it must be 0 to 1");
        }

        if (FailureAfterWrite is < 0 or > 1 || double.IsNaN(FailureAfterWrite))
        {
            throw new ArgumentException($"DeltaLogFaultOptions.FailureAfterWrite is {FailureAfterWrite}; it must be 0 to 1");
        }
    }
}
