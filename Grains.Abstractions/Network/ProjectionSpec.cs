namespace NeuroMesh.Network;

/// <summary>Synapses from one population to another, created by a connection rule.</summary>
public sealed record class ProjectionSpec
{
    /// <summary>The unique name of the projection.</summary>
    public string Name { get; init; } = "";

    /// <summary>The presynaptic population.</summary>
    public string Source { get; init; } = "";

    /// <summary>The postsynaptic population.</summary>
    public string Target { get; init; } = "";

    /// <summary>How source and target neurons are paired.</summary>
    public ConnectionRuleSpec Rule { get; init; } = new();

    /// <summary>Which input the synapses drive: "excitatory" (ge), "inhibitory" (gi) or "modulatory" (third factor for R-STDP).</summary>
    public string Channel { get; init; } = SynapseChannels.Excitatory;

    /// <summary>The synaptic weight (mV for CUBA and delta models, relative conductance for COBA).</summary>
    public DistributionSpec Weight { get; init; } = DistributionSpec.Constant(0);

    /// <summary>The transmission delay (ms), a multiple of dt; normal draws are rounded to the nearest tick and clamped at 0.</summary>
    public DistributionSpec Delay { get; init; } = DistributionSpec.Constant(0);

    /// <summary>The learning rule; absent means none.</summary>
    public PlasticitySpec? Plasticity { get; init; }

    /// <summary>"sparse" (CSR rows bucketed by delay, the default) or "dense" (a weight matrix for small all-to-all groups).</summary>
    public string Storage { get; init; } = SynapseStorageKinds.Sparse;

    /// <summary>An optional dendritic filter on every synapse of the projection.</summary>
    public FilterSpec? Filter { get; init; }
}
