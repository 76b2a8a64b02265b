namespace NeuroMesh.Persistence;

/// <summary>The SQLite schema, one migration per version. Append new steps; never edit a released one.</summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<SchemaMigration> All =
    [
        new(1, "streams, deltas, batches and snapshots", """
            CREATE TABLE streams (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                version INTEGER NOT NULL,
                truncated_through INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE deltas (
                stream INTEGER NOT NULL,
                version INTEGER NOT NULL,
                type TEXT NOT NULL,
                payload BLOB NOT NULL,
                crc INTEGER NOT NULL,
                PRIMARY KEY (stream, version)
            ) WITHOUT ROWID;
            CREATE TABLE batches (
                stream INTEGER NOT NULL,
                batch_id BLOB NOT NULL,
                first_version INTEGER NOT NULL,
                count INTEGER NOT NULL,
                content_crc INTEGER NOT NULL,
                PRIMARY KEY (stream, batch_id)
            ) WITHOUT ROWID;
            CREATE TABLE snapshots (
                stream INTEGER PRIMARY KEY,
                version INTEGER NOT NULL,
                data BLOB NOT NULL,
                crc INTEGER NOT NULL
            );
            """),
    ];
}
