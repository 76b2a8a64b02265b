namespace NeuroMesh.Network;

/// <summary>A group of neurons that share one model and one parameter set.</summary>
public sealed record class PopulationSpec
{
    /// <summary>The unique name that projections, stimuli and monitors refer to.</summary>
    public string Name { get; init; } = "";

    /// <summary>The number of neurons.</summary>
    public int Size { get; init; }

    /// <summary>The neuron model, one of <see cref="NeuronModels.All"/>.</summary>
    public string Model { get; init; } = NeuronModels.LifCuba;

    /// <summary>The model parameters.</summary>
    public NeuronParamsSpec Params { get; init; } = new();
}
