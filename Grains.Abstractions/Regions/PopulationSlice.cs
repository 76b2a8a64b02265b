namespace NeuroMesh.Regions;

/// <summary>A population a region owns: neurons <paramref name="FirstNeuron"/> .. <paramref name="FirstNeuron"/> + <paramref name="Size"/> - 1.</summary>
/// <param name="Name">The population's name in its spec.</param>
/// <param name="FirstNeuron">The id of its first neuron (ids as the whole spec assigns them).</param>
/// <param name="Size">How many neurons.</param>
/// <param name="Model">The neuron model.</param>
/// <param name="ParamsJson">The model parameters as JSON.</param>
[GenerateSerializer, Immutable]
[Alias("NeuroMesh.Regions.PopulationSlice")]
public sealed record PopulationSlice(
    [property: Id(0)] string Name,
    [property: Id(1)] uint FirstNeuron,
    [property: Id(2)] int Size,
    [property: Id(3)] string Model,
    [property: Id(4)] string ParamsJson)
{
    /// <summary>True when <paramref name="neuronId"/> is one of this population's neurons.</summary>
    public bool Contains(uint neuronId) => neuronId >= FirstNeuron && neuronId - FirstNeuron < (uint)Size;
}
