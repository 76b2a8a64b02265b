namespace NeuroMesh.Agents;

/// <summary>Why <see cref="NeuronHandle"/> refused to fire a spike.</summary>
public enum FireRefusal
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The neuron is in its refractory period: the natural backpressure of a busy agent.</summary>
    Refractory = 1,

    /// <summary>The neuron's Axon had no room (its readers are a full ring behind) or caught a second writer.</summary>
    AxonFull = 2,

    /// <summary>The payload needed an arena block and the arena had no room.</summary>
    ArenaFull = 3,
}
