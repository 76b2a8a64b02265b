using System.Text.Json.Serialization;

namespace NeuroMesh.Network;

/// <summary>
/// Leaky integrate-and-fire parameters (ms, mV). CUBA: dv/dt = (ge + gi + bias - (v - vRest)) / tauM with ge, gi in mV.
/// COBA: dv/dt = (ge (eE - v) + gi (eI - v) + bias - (v - vRest)) / tauM with ge, gi dimensionless (relative to the leak).
/// Delta: dv/dt = (bias - (v - vRest)) / tauM, and each input adds its weight to v.
/// </summary>
public sealed record class NeuronParamsSpec
{
    /// <summary>Membrane time constant (ms).</summary>
    public double TauM { get; init; } = 20;

    /// <summary>Resting (leak reversal) potential (mV).</summary>
    public double VRest { get; init; } = -65;

    /// <summary>Firing threshold (mV); a neuron fires when v exceeds it.</summary>
    public double VThreshold { get; init; } = -50;

    /// <summary>Reset potential after a spike (mV).</summary>
    public double VReset { get; init; } = -65;

    /// <summary>Refractory period (ms) during which v is clamped and the neuron cannot fire.</summary>
    public double Refractory { get; init; } = 2;

    /// <summary>Excitatory synaptic time constant (ms); CUBA and COBA.</summary>
    public double TauE { get; init; } = 5;

    /// <summary>Inhibitory synaptic time constant (ms); CUBA and COBA.</summary>
    public double TauI { get; init; } = 10;

    /// <summary>Excitatory reversal potential (mV); COBA only.</summary>
    [JsonPropertyName("eE")]
    public double EE { get; init; }

    /// <summary>Inhibitory reversal potential (mV); COBA only.</summary>
    [JsonPropertyName("eI")]
    public double EI { get; init; } = -80;

    /// <summary>Constant input (R·I, mV) added to the membrane drive.</summary>
    public double Bias { get; init; }

    /// <summary>Initial membrane potential (mV); when absent every neuron starts at <see cref="VRest"/>.</summary>
    public DistributionSpec? VInit { get; init; }
}
