namespace NeuroMesh.Network;

/// <summary>One problem in a spec: the JSON path of the offending value (for example <c>$.projections[2].rule.p</c>) and the reason.</summary>
public sealed record class SpecError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
