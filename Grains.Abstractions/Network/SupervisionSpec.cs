namespace NeuroMesh.Network;

/// <summary>The optional supervision section of a spec: supervisors, each over neurons, populations and regions, forming a tree through <see cref="SupervisorSpec.Parent"/>.</summary>
public sealed record class SupervisionSpec
{
    /// <summary>The supervisors; a parent is listed before or after its children, in any order.</summary>
    public List<SupervisorSpec> Supervisors { get; init; } = [];
}
