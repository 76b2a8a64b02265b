using System.Text.RegularExpressions;

namespace NeuroMesh.Persistence;

/// <summary>Settings of the PostgreSQL delta-log store (for clusters).</summary>
public sealed partial class PostgresDeltaLogOptions
{
    /// <summary>The default schema that holds the store's tables: <c>neuromesh</c>.</summary>
    public const string DefaultSchema = "neuromesh";

    /// <summary>An Npgsql connection string, for example <c>Host=db;Port=5432;Username=neuromesh;Password=...;Database=neuromesh</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The schema that holds the store's tables; created when missing. Lower-case letters, digits and underscores.</summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>How many deltas a read fetches per query (bounds a reader's memory). Default 4096.</summary>
    public int ReadPageSize { get; set; } = 4096;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("PostgresDeltaLogOptions.ConnectionString is empty; give an Npgsql connection string such as Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres");
        }

        if (Schema is null || !SchemaName().IsMatch(Schema))
        {
            throw new ArgumentException($"PostgresDeltaLogOptions.Schema is '{Schema}'; it must be 1 to 63 lower-case letters, digits or underscores, starting with a letter or underscore");
        }

        if (ReadPageSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"PostgresDeltaLogOptions.ReadPageSize is {ReadPageSize}; it must be 1 to 1000000");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
