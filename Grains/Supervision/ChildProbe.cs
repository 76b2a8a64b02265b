namespace NeuroMesh.Supervision;

/// <summary>What one health check of a child found.</summary>
/// <param name="Silo">The silo it answered from (empty for regions, which do not say).</param>
/// <param name="Activation">The activation that answered (empty when the kind does not say).</param>
/// <param name="Faults">Behaviour faults counted by this activation (neurons only).</param>
/// <param name="LastFault">The most recent fault's description, or null.</param>
public sealed record ChildProbe(string Silo, string Activation, long Faults, string? LastFault);
