using NeuroMesh.Network;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Simulation;

/// <summary>A network that learns only from rewards sent from outside.</summary>
internal static class RewardSpec
{
    /// <summary>The R-STDP synapses' target population, and its neurons.</summary>
    public const string Target = "actuators";

    /// <summary>The first actuator, and how many there are.</summary>
    public const int First = 150, Count = 50;

    /// <summary>
    /// examples/routes.json for <paramref name="durationMs"/> without its critic's reward projection: R-STDP synapses onto
    /// the actuators (150..199) with no modulation of their own, so only a reward from outside moves their weights.
    /// </summary>
    public static NetworkSpec Unrewarded(double durationMs = 300)
    {
        var spec = ExamplesDirectory.Spec("routes.json") with { Duration = durationMs };
        return spec with { Projections = [.. spec.Projections.Where(p => p.Name != "reward")] };
    }
}
