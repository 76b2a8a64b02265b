namespace NeuroMesh.Agents;

/// <summary>A behaviour registered by name in the silo's services; <c>AddNeuroMesh</c> folds every binding into the silo's <see cref="BehaviourRegistry"/>.</summary>
/// <param name="Name">The name a neuron grain binds.</param>
/// <param name="Factory">Builds one behaviour instance per hosted neuron.</param>
public sealed record BehaviourBinding(string Name, Func<IServiceProvider?, INeuronBehaviour> Factory);
