namespace NeuroMesh.Network;

/// <summary>
/// An external input. "poisson": every target neuron receives <see cref="Count"/> independent Poisson trains of
/// <see cref="Rate"/> Hz, each event adding <see cref="Weight"/> to <see cref="Channel"/>, between <see cref="Start"/> and <see cref="Stop"/>.
/// "spike_times": the listed events, each adding <see cref="Weight"/> to its neuron at its time.
/// </summary>
public sealed record class StimulusSpec
{
    /// <summary>The unique name of the stimulus.</summary>
    public string Name { get; init; } = "";

    /// <summary>"poisson" or "spike_times".</summary>
    public string Kind { get; init; } = StimulusKinds.Poisson;

    /// <summary>The target population.</summary>
    public string Target { get; init; } = "";

    /// <summary>The target neurons (indices within the population); absent means all.</summary>
    public int[]? Neurons { get; init; }

    /// <summary>The rate of each Poisson train (Hz).</summary>
    public double Rate { get; init; }

    /// <summary>The number of independent Poisson trains per target neuron.</summary>
    public int Count { get; init; } = 1;

    /// <summary>The input driven: "excitatory", "inhibitory" or "modulatory".</summary>
    public string Channel { get; init; } = SynapseChannels.Excitatory;

    /// <summary>The weight of each event.</summary>
    public double Weight { get; init; }

    /// <summary>When a Poisson input starts (ms).</summary>
    public double Start { get; init; }

    /// <summary>When a Poisson input stops (ms); absent means the end of the run.</summary>
    public double? Stop { get; init; }

    /// <summary>The events of "spike_times": neuron index within the population and time (ms, a multiple of dt).</summary>
    public List<SpikeTimeSpec>? Spikes { get; init; }
}
