namespace NeuroMesh.Persistence;

/// <summary>One step of a backend's schema: applied once, in version order, and recorded in <c>schema_version</c>.</summary>
/// <param name="Version">1, 2, 3, ... with no gaps.</param>
/// <param name="Description">What the step does, recorded with it.</param>
/// <param name="Sql">The statements (one script) that make the step.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
