namespace NeuroMesh.Agents;

/// <summary>
/// A silo refused to host an agent (bind a behaviour to a neuron) because it is at capacity: it hosts as many agents as
/// <c>NeuroMesh:Fabric:MaxAgents</c> allows, or its fabric has no free ring. The message names the limit and the setting
/// that raises it. Nothing was changed by the refused call.
/// </summary>
[GenerateSerializer, Alias("neuromesh.agent-capacity")]
public sealed class AgentCapacityException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public AgentCapacityException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentCapacityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AgentCapacityException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
