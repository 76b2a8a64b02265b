namespace NeuroMesh.Persistence;

/// <summary>Argument checks shared by the contract types and every backend, so each error reads the same.</summary>
internal static class DeltaLogGuard
{
    public const int MaxStreamIdLength = 512;

    public static void StreamId(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (streamId.Length is 0 or > MaxStreamIdLength || string.IsNullOrWhiteSpace(streamId) || HasControl(streamId))
        {
            throw new ArgumentException($"a stream id is 1 to {MaxStreamIdLength} characters, not blank, with no control characters; got '{Printable(streamId)}'", nameof(streamId));
        }
    }

    public static void TypeTag(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Length is 0 or > Delta.MaxTypeLength || string.IsNullOrWhiteSpace(type) || HasControl(type))
        {
            throw new ArgumentException($"a delta type is 1 to {Delta.MaxTypeLength} characters, not blank, with no control characters; got '{Printable(type)}'", nameof(type));
        }
    }

    public static void ExpectedVersion(long expectedVersion)
    {
        if (expectedVersion < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "the expected version is 0 (a new stream) or more");
        }
    }

    public static void FromVersion(long fromVersion)
    {
        if (fromVersion < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, "versions start at 1; read from version 1 or later");
        }
    }

    public static void ThroughVersion(long throughVersion)
    {
        if (throughVersion < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throughVersion), throughVersion, "truncation goes through version 1 or later");
        }
    }

    private static bool HasControl(string value) => value.Any(char.IsControl);

    private static string Printable(string value)
        => new([.. value.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
