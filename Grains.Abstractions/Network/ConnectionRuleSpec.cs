namespace NeuroMesh.Network;

/// <summary>
/// A connection rule. Kinds: "fixed_probability" (p), "fixed_in_degree" (n sources per target),
/// "fixed_out_degree" (n targets per source), "one_to_one", "all_to_all", "explicit" (pairs of local indices).
/// </summary>
public sealed record class ConnectionRuleSpec
{
    /// <summary>The rule kind, one of <see cref="ConnectionRuleKinds.All"/>.</summary>
    public string Kind { get; init; } = ConnectionRuleKinds.AllToAll;

    /// <summary>The connection probability of "fixed_probability", in [0, 1].</summary>
    public double P { get; init; }

    /// <summary>The degree of "fixed_in_degree" and "fixed_out_degree".</summary>
    public int N { get; init; }

    /// <summary>Whether a neuron may connect to itself when source and target are the same population (default true, as in Brian2).</summary>
    public bool AllowSelf { get; init; } = true;

    /// <summary>The [source, target] pairs of "explicit", as indices within their populations.</summary>
    public List<int[]>? Pairs { get; init; }
}
