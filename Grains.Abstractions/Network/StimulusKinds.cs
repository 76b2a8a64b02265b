namespace NeuroMesh.Network;

/// <summary>The names of the stimulus kinds.</summary>
public static class StimulusKinds
{
    /// <summary>Independent Poisson trains per target neuron.</summary>
    public const string Poisson = "poisson";

    /// <summary>An explicit list of (neuron, time) events.</summary>
    public const string SpikeTimes = "spike_times";
}
