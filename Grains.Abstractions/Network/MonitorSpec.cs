namespace NeuroMesh.Network;

/// <summary>
/// What to record. "spikes": the spikes of <see cref="Population"/>. "state": <see cref="Variable"/> ("v", "ge" or "gi")
/// of the listed <see cref="Neurons"/>, every <see cref="Interval"/> ms (absent: every tick).
/// </summary>
public sealed record class MonitorSpec
{
    /// <summary>The unique name of the monitor.</summary>
    public string Name { get; init; } = "";

    /// <summary>"spikes" or "state".</summary>
    public string Kind { get; init; } = MonitorKinds.Spikes;

    /// <summary>The monitored population.</summary>
    public string Population { get; init; } = "";

    /// <summary>The sampled state variable: "v", "ge" or "gi".</summary>
    public string? Variable { get; init; }

    /// <summary>The sampled neurons (indices within the population); absent means all.</summary>
    public int[]? Neurons { get; init; }

    /// <summary>The sampling interval (ms), a multiple of dt.</summary>
    public double? Interval { get; init; }
}
