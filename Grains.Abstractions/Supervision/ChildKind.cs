namespace NeuroMesh.Supervision;

/// <summary>The grain kind of a supervised child.</summary>
public enum ChildKind
{
    /// <summary>A neuron grain (key: the neuron id).</summary>
    Neuron,

    /// <summary>A region grain (key: the region path).</summary>
    Region,

    /// <summary>Another supervisor (key: its id), which makes the supervisors a tree.</summary>
    Supervisor,
}
