using Npgsql;
using NeuroMesh.Persistence;

namespace NeuroMesh.Membership;

/// <summary>
/// The PostgreSQL schema behind Orleans' ADO.NET clustering, created and migrated by NeuroMesh itself: the membership
/// tables live in the <see cref="Schema"/> schema (versioned migrations), and the statements Orleans runs against them are
/// registered on every start, under the query keys Orleans looks up, in the <c>OrleansQuery</c> table Orleans reads
/// (unqualified, so in <c>public</c>).
/// </summary>
/// <remarks>
/// Every write to a deployment's membership goes through one compare-and-set on its version row, in a single statement:
/// the row lock orders concurrent writers, and a writer whose expected version is stale changes nothing and gets 0 (Orleans
/// then re-reads and retries). Migrations run under a transaction-scoped advisory lock, so silos starting together apply
/// each step once.
/// </remarks>
public static class PostgresClusteringSchema
{
    /// <summary>The schema that holds the membership tables.</summary>
    public const string Schema = "neuromesh_cluster";

    /// <summary>The ADO.NET invariant Orleans uses for PostgreSQL.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The migrations, one per version. Append new steps; never edit a released one.</summary>
    internal static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(1, "membership versions and members", $"""
            CREATE TABLE {Schema}.versions (
                deployment_id TEXT COLLATE "C" PRIMARY KEY,
                version INTEGER NOT NULL DEFAULT 0,
                changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            CREATE TABLE {Schema}.members (
                deployment_id TEXT COLLATE "C" NOT NULL REFERENCES {Schema}.versions (deployment_id),
                address TEXT NOT NULL,
                port INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                silo_name TEXT NOT NULL,
                host_name TEXT NOT NULL,
                status INTEGER NOT NULL,
                proxy_port INTEGER,
                suspect_times TEXT,
                start_time TIMESTAMPTZ NOT NULL,
                i_am_alive_time TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (deployment_id, address, port, generation)
            );
            CREATE TABLE IF NOT EXISTS public.OrleansQuery (
                QueryKey VARCHAR(64) PRIMARY KEY,
                QueryText TEXT NOT NULL
            );
            """),
    ];

    /// <summary>The statements, by the query key Orleans looks them up with. Parameter names are the ones Orleans binds.</summary>
    internal static IReadOnlyDictionary<string, string> Queries { get; } = new Dictionary<string, string>
    {
        // Clients: the gateways of active silos.
        ["GatewaysQueryKey"] = $"""
            SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
            FROM {Schema}.members
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,

        // One member with the table version; the version row alone (nulls) when the member is unknown.
        ["MembershipReadRowKey"] = MembershipRead($"AND m.address = @Address AND m.port = @Port AND m.generation = @Generation"),
        ["MembershipReadAllKey"] = MembershipRead(string.Empty),

        ["InsertMembershipVersionKey"] = $"""
            WITH inserted AS (
                INSERT INTO {Schema}.versions (deployment_id) VALUES (@DeploymentId)
                ON CONFLICT (deployment_id) DO NOTHING
                RETURNING 1)
            SELECT count(*)::int FROM inserted
            """,

        // Not versioned: Orleans writes heartbeats without the table version, and expects them never to fail.
        ["UpdateIAmAlivetimeKey"] = $"""
            UPDATE {Schema}.members SET i_am_alive_time = @IAmAliveTime
            WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
            """,

        // Bump the version only if it is the expected one and the member is new; insert only if the bump happened.
        ["InsertMembershipKey"] = $"""
            WITH bumped AS (
                UPDATE {Schema}.versions SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                  AND NOT EXISTS (SELECT 1 FROM {Schema}.members
                                  WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
                RETURNING deployment_id),
            inserted AS (
                INSERT INTO {Schema}.members (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
                SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime FROM bumped
                RETURNING 1)
            SELECT count(*)::int FROM inserted
            """,

        // Bump the version only if it is the expected one and the member exists; update only if the bump happened.
        ["UpdateMembershipKey"] = $"""
            WITH bumped AS (
                UPDATE {Schema}.versions SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                  AND EXISTS (SELECT 1 FROM {Schema}.members
                              WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
                RETURNING deployment_id),
            updated AS (
                UPDATE {Schema}.members m SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
                FROM bumped
                WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING 1)
            SELECT count(*)::int FROM updated
            """,

        ["DeleteMembershipTableEntriesKey"] = $"""
            WITH members AS (DELETE FROM {Schema}.members WHERE deployment_id = @DeploymentId)
            DELETE FROM {Schema}.versions WHERE deployment_id = @DeploymentId
            """,

        // Dead silos (status 6) whose last heartbeat is older than the cutoff.
        ["CleanupDefunctSiloEntriesKey"] = $"""
            DELETE FROM {Schema}.members
            WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status = 6
            """,
    };

    /// <summary>
    /// Creates or migrates the schema on the database of <paramref name="connectionString"/>, and returns the steps this call
    /// applied (none when it was current).
    /// </summary>
    /// <exception cref="DeltaLogSchemaException">A step failed, or the database was migrated by a newer build.</exception>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public static async Task<IReadOnlyList<int>> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(hashtext('neuromesh.clustering')); CREATE SCHEMA IF NOT EXISTS {Schema}", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await new SchemaMigrator("PostgreSQL", Migrations, $"{Schema}.schema_version", "clustering").MigrateAsync(connection, transaction, cancellationToken);

        // The statements are not schema: they are registered again on every start, so they always match this build.
        foreach (var (key, text) in Queries)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO public.OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText",
                connection,
                transaction);
            upsert.Parameters.AddWithValue("key", key);
            upsert.Parameters.AddWithValue("text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static string MembershipRead(string memberFilter) => $"""
        SELECT v.version AS "Version",
               m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
               m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
               m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
        FROM {Schema}.versions v
        LEFT JOIN {Schema}.members m ON m.deployment_id = v.deployment_id {memberFilter}
        WHERE v.deployment_id = @DeploymentId
        """;
}
