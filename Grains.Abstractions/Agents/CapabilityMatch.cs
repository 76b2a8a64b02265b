namespace NeuroMesh.Agents;

/// <summary>How a discovery query with several capabilities matches a card.</summary>
public enum CapabilityMatch
{
    /// <summary>The card has every capability asked for.</summary>
    All = 0,

    /// <summary>The card has at least one of the capabilities asked for.</summary>
    Any = 1,
}
