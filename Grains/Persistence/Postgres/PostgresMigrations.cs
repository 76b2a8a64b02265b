namespace NeuroMesh.Persistence;

/// <summary>The PostgreSQL schema, one migration per version. Append new steps; never edit a released one.</summary>
internal static class PostgresMigrations
{
    /// <summary>The migrations for the tables in <paramref name="schema"/> (an already validated identifier).</summary>
    public static IReadOnlyList<SchemaMigration> For(string schema) =>
    [
        new(1, "streams, deltas, batches and snapshots", $"""
            CREATE TABLE {schema}.streams (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name TEXT COLLATE "C" NOT NULL UNIQUE,
                version BIGINT NOT NULL,
                truncated_through BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE {schema}.deltas (
                stream BIGINT NOT NULL,
                version BIGINT NOT NULL,
                type TEXT NOT NULL,
                payload BYTEA NOT NULL,
                crc BIGINT NOT NULL,
                PRIMARY KEY (stream, version)
            );
            CREATE TABLE {schema}.batches (
                stream BIGINT NOT NULL,
                batch_id UUID NOT NULL,
                first_version BIGINT NOT NULL,
                count INTEGER NOT NULL,
                content_crc BIGINT NOT NULL,
                PRIMARY KEY (stream, batch_id)
            );
            CREATE TABLE {schema}.snapshots (
                stream BIGINT PRIMARY KEY,
                version BIGINT NOT NULL,
                data BYTEA NOT NULL,
                crc BIGINT NOT NULL
            );
            """),
    ];
}
