namespace NeuroMesh.Network;

/// <summary>
/// A dendritic filter in a spec. Kinds: "type" (<see cref="Type"/>), "priority_threshold" (<see cref="MinPriority"/>),
/// "payload_prefix" (<see cref="Prefix"/>, hex) and "custom" (<see cref="Name"/> of a predicate registered in code).
/// </summary>
public sealed record class FilterSpec
{
    /// <summary>The filter kind.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The spike type a "type" filter passes: "excitatory", "inhibitory" or "modulatory".</summary>
    public string? Type { get; init; }

    /// <summary>The lowest priority a "priority_threshold" filter passes.</summary>
    public int MinPriority { get; init; }

    /// <summary>The payload prefix (hex digits) a "payload_prefix" filter requires.</summary>
    public string? Prefix { get; init; }

    /// <summary>The registered name of a "custom" filter.</summary>
    public string? Name { get; init; }
}
