using Microsoft.Extensions.Logging;

namespace NeuroMesh.Membership;

/// <summary>
/// Migrates the clustering schema (<see cref="PostgresClusteringSchema"/>) as the very first step of a silo's start, before
/// membership reads it. A database that cannot be reached or migrated stops the silo with the cause.
/// </summary>
internal sealed class PostgresClusteringMigration(string connectionString, ILogger<PostgresClusteringMigration> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(PostgresClusteringMigration), ServiceLifecycleStage.First, async cancellationToken =>
    {
        var applied = await PostgresClusteringSchema.MigrateAsync(connectionString, cancellationToken);
        if (applied.Count > 0)
        {
            logger.LogInformation("Clustering schema {Schema}: applied migrations {Versions}", PostgresClusteringSchema.Schema, string.Join(", ", applied));
        }
    });
}
