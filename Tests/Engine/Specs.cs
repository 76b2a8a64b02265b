using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

/// <summary>Small specs for engine tests.</summary>
internal static class Specs
{
    public static NeuronParamsSpec Quiet(double vInit = 0) => new()
    {
        TauM = 10, VRest = 0, VThreshold = 10, VReset = 0, Refractory = 2, TauE = 5, TauI = 10,
        VInit = DistributionSpec.Constant(vInit),
    };

    public static NetworkSpec TwoNeurons(string model = NeuronModels.LifDelta, ProjectionSpec? projection = null, double duration = 100)
        => new()
        {
            Dt = 0.1,
            Duration = duration,
            Populations =
            [
                new PopulationSpec { Name = "A", Size = 1, Model = model, Params = Quiet() },
                new PopulationSpec { Name = "B", Size = 1, Model = model, Params = Quiet() },
            ],
            Projections = projection is null ? [] : [projection],
        };

    public static ProjectionSpec AToB(double weight, double delayMs = 0, PlasticitySpec? plasticity = null, FilterSpec? filter = null) => new()
    {
        Name = "AB",
        Source = "A",
        Target = "B",
        Rule = new ConnectionRuleSpec { Kind = ConnectionRuleKinds.AllToAll },
        Weight = DistributionSpec.Constant(weight),
        Delay = DistributionSpec.Constant(delayMs),
        Plasticity = plasticity,
        Filter = filter,
    };
}
