namespace NeuroMesh.Engine.Snapshots;

/// <summary>
/// One plastic rule's traces for a range of neurons: each stored as its value just after the neuron's last spike and the
/// tick of that spike (decayed when read), as presynaptic source (<see cref="PreX"/>) and as postsynaptic target.
/// </summary>
public sealed class RuleTraces
{
    /// <summary>Presynaptic trace after the last spike, per neuron.</summary>
    public required float[] PreX { get; init; }

    /// <summary>Tick of the last presynaptic bump, per neuron.</summary>
    public required int[] PreT { get; init; }

    /// <summary>Postsynaptic trace after the last spike, per neuron.</summary>
    public required float[] PostY { get; init; }

    /// <summary>Tick of the last postsynaptic bump, per neuron.</summary>
    public required int[] PostT { get; init; }

    /// <summary>Joins the traces of adjacent ranges.</summary>
    public static RuleTraces Concat(IReadOnlyList<RuleTraces> parts) => new()
    {
        PreX = [.. parts.SelectMany(p => p.PreX)],
        PreT = [.. parts.SelectMany(p => p.PreT)],
        PostY = [.. parts.SelectMany(p => p.PostY)],
        PostT = [.. parts.SelectMany(p => p.PostT)],
    };

    /// <summary>True when every array holds <paramref name="neurons"/> entries.</summary>
    public bool HasLength(int neurons)
        => PreX.Length == neurons && PreT.Length == neurons && PostY.Length == neurons && PostT.Length == neurons;
}
