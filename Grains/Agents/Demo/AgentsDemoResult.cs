namespace NeuroMesh.Agents.Demo;

/// <summary>What the agents demo did: per classifier route, how often it was used, how often it was right, and its weight.</summary>
/// <param name="Routes">One row per classifier → actuator synapse, by classifier neuron id.</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Actions">Actions the actuator took.</param>
/// <param name="Rewards">Reward spikes sent.</param>
/// <param name="Penalties">Penalty spikes sent.</param>
/// <param name="Faults">Behaviour faults (none expected).</param>
public sealed record AgentsDemoResult(IReadOnlyList<RouteResult> Routes, int Trials, int Actions, int Rewards, int Penalties, long Faults)
{
    /// <summary>The route of the named classifier.</summary>
    public RouteResult Route(string classifier) => Routes.Single(r => r.Classifier == classifier);
}

/// <summary>One classifier's route to the actuator.</summary>
/// <param name="Classifier">The classifier agent's name.</param>
/// <param name="Neuron">Its neuron id.</param>
/// <param name="Useful">True for the classifier that is always right.</param>
/// <param name="Trials">Observations the sensor sent it.</param>
/// <param name="InitialWeight">The classifier → actuator weight before the run.</param>
/// <param name="FinalWeight">The weight after the run.</param>
public sealed record RouteResult(string Classifier, uint Neuron, bool Useful, int Trials, double InitialWeight, double FinalWeight);
