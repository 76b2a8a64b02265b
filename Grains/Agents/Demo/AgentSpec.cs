namespace NeuroMesh.Agents.Demo;

/// <summary>One agent of the demo: which neuron hosts it, where it lives, which behaviour it runs and what it advertises.</summary>
public sealed record AgentSpec
{
    /// <summary>The agent's name (its card's name).</summary>
    public string Name { get; init; } = "";

    /// <summary>The population of its neuron.</summary>
    public string Population { get; init; } = "";

    /// <summary>The neuron's index within the population.</summary>
    public int Index { get; init; }

    /// <summary>Its region path.</summary>
    public string Region { get; init; } = "";

    /// <summary>Its behaviour: sensor, classifier.useful, classifier.noisy, actuator, critic.reward or critic.penalty.</summary>
    public string Behaviour { get; init; } = "";

    /// <summary>Capabilities it advertises on top of its behaviour's.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
