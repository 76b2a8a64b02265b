namespace NeuroMesh.Network;

/// <summary>The names of the neuron models a <see cref="PopulationSpec"/> can use.</summary>
public static class NeuronModels
{
    /// <summary>LIF with exponentially decaying current synapses (CUBA), integrated exactly.</summary>
    public const string LifCuba = "lif_cuba";

    /// <summary>LIF with delta synapses: a spike adds its weight to the membrane potential.</summary>
    public const string LifDelta = "lif_delta";

    /// <summary>LIF with exponentially decaying conductance synapses (COBA), exponential-Euler for the membrane.</summary>
    public const string LifCoba = "lif_coba";

    /// <summary>Every known model name.</summary>
    public static IReadOnlyList<string> All { get; } = [LifCuba, LifDelta, LifCoba];
}
