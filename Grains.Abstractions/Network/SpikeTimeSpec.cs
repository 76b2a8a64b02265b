namespace NeuroMesh.Network;

/// <summary>One event of a spike-time array: a neuron (index within the target population) and a time (ms).</summary>
public sealed record class SpikeTimeSpec
{
    /// <summary>The neuron index within the target population.</summary>
    public int Neuron { get; init; }

    /// <summary>The time (ms); a multiple of dt.</summary>
    public double Time { get; init; }
}
