namespace NeuroMesh.Spikes;

/// <summary>Bit flags carried in <see cref="Spike.Flags"/>.</summary>
[Flags]
public enum SpikeFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>The payload lives in an arena; the inline payload holds an <see cref="ArenaRef"/>.</summary>
    ArenaPayload = 1 << 0,

    /// <summary>The spike was injected from outside the network (a client, a stimulus), not fired by a neuron.</summary>
    External = 1 << 1,

    /// <summary>The spike crossed a silo boundary on its way here.</summary>
    Remote = 1 << 2,

    /// <summary>The spike is a replay of a logged input, not live traffic.</summary>
    Replayed = 1 << 3,
}
