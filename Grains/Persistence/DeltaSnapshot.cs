namespace NeuroMesh.Persistence;

/// <summary>A stream's state serialised at a version: replay starts here and applies the deltas after it.</summary>
public sealed record DeltaSnapshot
{
    /// <summary>The largest snapshot accepted, in bytes (1 GiB minus one page).</summary>
    public const int MaxBytes = (1 << 30) - 4096;

    /// <summary>Creates a snapshot.</summary>
    /// <param name="version">The stream version the state reflects (every delta up to and including it applied).</param>
    /// <param name="data">The serialised state.</param>
    /// <exception cref="ArgumentException">The version is negative or the data is too large.</exception>
    public DeltaSnapshot(long version, ReadOnlyMemory<byte> data)
    {
        if (version < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "a snapshot version is 0 or more");
        }

        if (data.Length > MaxBytes)
        {
            throw new ArgumentException($"a snapshot is at most {MaxBytes} bytes; this one has {data.Length}", nameof(data));
        }

        Version = version;
        Data = data;
    }

    /// <summary>The stream version the state reflects.</summary>
    public long Version { get; }

    /// <summary>The serialised state.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
