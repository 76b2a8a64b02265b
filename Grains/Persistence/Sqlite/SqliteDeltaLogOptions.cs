namespace NeuroMesh.Persistence;

/// <summary>Settings of the embedded SQLite delta-log store.</summary>
public sealed class SqliteDeltaLogOptions
{
    /// <summary>The default database file, relative to the working directory: <c>data/deltalog.db</c>.</summary>
    public const string DefaultPath = "data/deltalog.db";

    /// <summary>The database file; its folder is created when missing. Default <see cref="DefaultPath"/>.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long a write waits for another process's write lock before failing. Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many deltas a read fetches per query (bounds a reader's memory). Default 4096.</summary>
    public int ReadPageSize { get; set; } = 4096;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("SqliteDeltaLogOptions.Path is empty; give a file path such as data/deltalog.db");
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"SqliteDeltaLogOptions.BusyTimeout is {BusyTimeout}; it must be more than zero and at most one hour");
        }

        if (ReadPageSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"SqliteDeltaLogOptions.ReadPageSize is {ReadPageSize}; it must be 1 to 1000000");
        }
    }
}
