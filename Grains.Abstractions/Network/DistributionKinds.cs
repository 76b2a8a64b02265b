namespace NeuroMesh.Network;

/// <summary>The kinds of <see cref="DistributionSpec"/>.</summary>
public static class DistributionKinds
{
    /// <summary>A fixed value.</summary>
    public const string Constant = "constant";

    /// <summary>Uniform in [low, high).</summary>
    public const string Uniform = "uniform";

    /// <summary>Normal with mean and sd.</summary>
    public const string Normal = "normal";
}
