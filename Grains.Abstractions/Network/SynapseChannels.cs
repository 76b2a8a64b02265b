namespace NeuroMesh.Network;

/// <summary>The names of the inputs a projection can drive.</summary>
public static class SynapseChannels
{
    /// <summary>The excitatory input (ge, or v for delta synapses).</summary>
    public const string Excitatory = "excitatory";

    /// <summary>The inhibitory input (gi, or v for delta synapses).</summary>
    public const string Inhibitory = "inhibitory";

    /// <summary>The modulatory third factor that drives R-STDP; it does not touch the membrane.</summary>
    public const string Modulatory = "modulatory";

    /// <summary>Every channel name, in <see cref="Spikes.SpikeType"/> order.</summary>
    public static IReadOnlyList<string> All { get; } = [Excitatory, Inhibitory, Modulatory];
}
