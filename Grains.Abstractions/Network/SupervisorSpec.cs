namespace NeuroMesh.Network;

/// <summary>One supervisor of a spec's supervision tree.</summary>
public sealed record class SupervisorSpec
{
    /// <summary>The supervisor's id (unique in the spec).</summary>
    public string Name { get; init; } = "";

    /// <summary>The parent supervisor's name, or null for a root.</summary>
    public string? Parent { get; init; }

    /// <summary>"OneForOne", "OneForAll" or "RestForOne".</summary>
    public string Strategy { get; init; } = "OneForOne";

    /// <summary>Restarts allowed within <see cref="WithinSeconds"/>.</summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>The restart-intensity window in seconds.</summary>
    public double WithinSeconds { get; init; } = 5;

    /// <summary>The children in start order: <c>neuron:ID</c>, <c>population:NAME</c> (each of its neurons) or <c>region:PATH</c>.</summary>
    public List<string> Children { get; init; } = [];

    /// <summary>"LastCheckpoint" (the default: a restarted child keeps what its log holds) or "InitialState" (a neuron's behaviour starts over).</summary>
    public string RestartFrom { get; init; } = "LastCheckpoint";

    /// <summary>Failure kind → directive (for example <c>{"BehaviourFault": "Resume"}</c>); kinds not named restart.</summary>
    public Dictionary<string, string>? Decider { get; init; }
}
