namespace NeuroMesh.Network;

/// <summary>
/// Pair-based STDP with exponential pre/post traces. A pre spike depresses by aMinus × post trace, a post spike
/// potentiates by aPlus × pre trace (weight units); weights are clipped to [wMin, wMax] and clips are counted.
/// "rstdp" routes those changes into an eligibility trace (time constant tauEligibility) that modulatory input
/// turns into weight change: Δw = learningRate × modulation × eligibility.
/// </summary>
public sealed record class PlasticitySpec
{
    /// <summary>"none", "stdp" or "rstdp".</summary>
    public string Kind { get; init; } = PlasticityKinds.None;

    /// <summary>Potentiation amplitude.</summary>
    public double APlus { get; init; } = 0.01;

    /// <summary>Depression amplitude (slightly above <see cref="APlus"/>, so weights stay sparse).</summary>
    public double AMinus { get; init; } = 0.012;

    /// <summary>Pre-trace time constant (ms).</summary>
    public double TauPlus { get; init; } = 20;

    /// <summary>Post-trace time constant (ms).</summary>
    public double TauMinus { get; init; } = 20;

    /// <summary>Lower weight bound.</summary>
    public double WMin { get; init; }

    /// <summary>Upper weight bound.</summary>
    public double WMax { get; init; } = 1;

    /// <summary>Eligibility time constant (ms), R-STDP only.</summary>
    public double TauEligibility { get; init; } = 1000;

    /// <summary>Scale of modulation × eligibility, R-STDP only.</summary>
    public double LearningRate { get; init; } = 1;
}
