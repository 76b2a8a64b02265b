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

    /// <summary>The default of <see cref="MaxAgents"/>.</summary>
    public const int DefaultMaxAgents = 100_000;

    /// <summary>
    /// The most agents (neurons with a behaviour) the silo hosts at once. The fabric's ring pool is sized so that this many
    /// idle agents fit (one 16-slot, 1 KiB ring each) on top of the tier's rings, which stay as room for rings that grow
    /// with their traffic. Pages of the pool that no ring uses take no memory. Binding one more agent fails with
    /// <see cref="Agents.AgentCapacityException"/>.
    /// </summary>
    public int MaxAgents { get; set; } = DefaultMaxAgents;

    /// <summary>The layout these options describe.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public FabricLayout ToLayout()
    {
        if (MaxAgents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAgents), $"{SectionName}:MaxAgents must be at least 1 (got {MaxAgents}).");
        }

        return FabricLayout.Create(FabricLayout.WithAgentCapacity(FabricLayout.Preset(Tier, (long)DedicatedMiB << 20), MaxAgents));
    }
}
