namespace NeuroMesh.Persistence;

/// <summary>One delta to append: an opaque payload and the type tag that says how to apply it.</summary>
public sealed record Delta
{
    /// <summary>The longest type tag accepted, in characters.</summary>
    public const int MaxTypeLength = 256;

    /// <summary>The largest payload accepted, in bytes (64 MiB).</summary>
    public const int MaxPayloadBytes = 64 << 20;

    /// <summary>Creates a delta.</summary>
    /// <param name="type">The type tag, 1 to <see cref="MaxTypeLength"/> characters, for example <c>SynapseEdited</c>.</param>
    /// <param name="payload">The opaque payload, at most <see cref="MaxPayloadBytes"/> bytes (may be empty).</param>
    /// <exception cref="ArgumentException">The type tag is empty, too long or contains a control character, or the payload is too large.</exception>
    public Delta(string type, ReadOnlyMemory<byte> payload)
    {
        DeltaLogGuard.TypeTag(type);
        if (payload.Length > MaxPayloadBytes)
        {
            throw new ArgumentException($"a delta payload is at most {MaxPayloadBytes} bytes; this one has {payload.Length}", nameof(payload));
        }

        Type = type;
        Payload = payload;
    }

    /// <summary>The type tag that says how to apply the payload.</summary>
    public string Type { get; }

    /// <summary>The opaque payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
