namespace NeuroMesh.Spikes;

/// <summary>What a spike does to its target.</summary>
public enum SpikeType : byte
{
    /// <summary>Adds its weight to the target's excitatory input.</summary>
    Excitatory = 0,

    /// <summary>Adds its weight to the target's inhibitory input.</summary>
    Inhibitory = 1,

    /// <summary>A third-factor signal (reward, attention) that gates plasticity instead of driving the membrane.</summary>
    Modulatory = 2,
}
