namespace NeuroMesh.Network;

/// <summary>The names of the connection rules.</summary>
public static class ConnectionRuleKinds
{
    /// <summary>Each pair independently with probability p.</summary>
    public const string FixedProbability = "fixed_probability";

    /// <summary>Each target draws n sources (with replacement).</summary>
    public const string FixedInDegree = "fixed_in_degree";

    /// <summary>Each source draws n targets (with replacement).</summary>
    public const string FixedOutDegree = "fixed_out_degree";

    /// <summary>Source i to target i; the populations must have the same size.</summary>
    public const string OneToOne = "one_to_one";

    /// <summary>Every source to every target.</summary>
    public const string AllToAll = "all_to_all";

    /// <summary>The listed pairs.</summary>
    public const string Explicit = "explicit";

    /// <summary>Every rule name.</summary>
    public static IReadOnlyList<string> All { get; } = [FixedProbability, FixedInDegree, FixedOutDegree, OneToOne, AllToAll, Explicit];
}
