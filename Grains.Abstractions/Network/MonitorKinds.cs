namespace NeuroMesh.Network;

/// <summary>The names of the monitor kinds and of the state variables.</summary>
public static class MonitorKinds
{
    /// <summary>Records spikes.</summary>
    public const string Spikes = "spikes";

    /// <summary>Samples a state variable.</summary>
    public const string State = "state";

    /// <summary>The variables a state monitor can sample.</summary>
    public static IReadOnlyList<string> Variables { get; } = ["v", "ge", "gi"];
}
