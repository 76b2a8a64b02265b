namespace NeuroMesh.Network;

/// <summary>The names of the learning rules.</summary>
public static class PlasticityKinds
{
    /// <summary>Fixed weights.</summary>
    public const string None = "none";

    /// <summary>Pair-based STDP.</summary>
    public const string Stdp = "stdp";

    /// <summary>Reward-modulated STDP (eligibility traces gated by modulatory input).</summary>
    public const string RStdp = "rstdp";
}
