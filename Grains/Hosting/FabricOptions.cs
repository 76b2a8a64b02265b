using NeuroMesh.Fabric;

namespace NeuroMesh.Hosting;

/// <summary>The silo's fast-path settings, bound from the <c>NeuroMesh:Fabric</c> configuration section.</summary>
public sealed class FabricOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Fabric";

    /// <summary>Arena size preset: Light (32 MiB), Moderate (64 MiB), Heavy (128 MiB) or Dedicated.</summary>
    public FabricTier Tier { get; set; } = FabricTier.Moderate;

    /// <summary>Dedicated tier only: the arena size in MiB, a power of two of at least 256.</summary>
    public int DedicatedMiB { get; set; } = 256;

    /// <summary>The layout these options describe.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public FabricLayout ToLayout() => FabricLayout.ForTier(Tier, (long)DedicatedMiB << 20);
}
