using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuroMesh.Spikes;

/// <summary>
/// A spike: the 64-byte message that neurons and agents exchange. One spike fills exactly one cache line
/// and one ring slot.
/// </summary>
/// <remarks>
/// Layout (byte offsets): 0 <see cref="Timestamp"/>, 8 <see cref="Tick"/>, 12 <see cref="Sequence"/>,
/// 16 <see cref="Source"/>, 20 <see cref="Target"/>, 24 <see cref="Type"/>, 25 <see cref="Priority"/>,
/// 26 <see cref="Flags"/>, 27 <see cref="PayloadLength"/>, 28 <see cref="Payload"/> (36 bytes).
/// Fields are public so that a ring slot can be written in place; the layout is proven by tests.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct Spike
{
    /// <summary>The size of a spike in bytes.</summary>
    public const int Size = 64;

    /// <summary>How many payload bytes fit inline; a larger payload goes in an arena.</summary>
    public const int InlinePayloadCapacity = 36;

    /// <summary>The target id that addresses every subscriber of the source.</summary>
    public const uint BroadcastTarget = uint.MaxValue;

    /// <summary>When the spike was fired, in <see cref="System.Diagnostics.Stopwatch"/> ticks of the firing process.</summary>
    [FieldOffset(0)] public long Timestamp;

    /// <summary>The simulation tick in which the spike was fired (free-running agents use the router's pass count).</summary>
    [FieldOffset(8)] public uint Tick;

    /// <summary>Per-source sequence number; consecutive spikes of one source differ by one (wrapping).</summary>
    [FieldOffset(12)] public uint Sequence;

    /// <summary>The id of the firing neuron.</summary>
    [FieldOffset(16)] public uint Source;

    /// <summary>The id of the target neuron, or <see cref="BroadcastTarget"/>.</summary>
    [FieldOffset(20)] public uint Target;

    /// <summary>Excitatory, inhibitory or modulatory.</summary>
    [FieldOffset(24)] public SpikeType Type;

    /// <summary>Priority; higher is more urgent. Dendritic filters can drop spikes below a threshold.</summary>
    [FieldOffset(25)] public byte Priority;

    /// <summary>Bit flags, including whether the payload lives in an arena.</summary>
    [FieldOffset(26)] public SpikeFlags Flags;

    /// <summary>Number of meaningful bytes in <see cref="Payload"/> (an <see cref="ArenaRef"/> counts as 16).</summary>
    [FieldOffset(27)] public byte PayloadLength;

    /// <summary>The inline payload.</summary>
    [FieldOffset(28)] public SpikePayload Payload;

    /// <summary>Creates a spike with no payload.</summary>
    public static Spike Create(uint source, uint target, SpikeType type = SpikeType.Excitatory, uint tick = 0, uint sequence = 0, byte priority = 0)
        => new() { Source = source, Target = target, Type = type, Tick = tick, Sequence = sequence, Priority = priority };

    /// <summary>True when the spike addresses every subscriber of its source.</summary>
    public readonly bool IsBroadcast => Target == BroadcastTarget;

    /// <summary>True when the payload lives in an arena and <see cref="Payload"/> holds an <see cref="ArenaRef"/>.</summary>
    public readonly bool HasArenaPayload => (Flags & SpikeFlags.ArenaPayload) != 0;

    /// <summary>The meaningful inline payload bytes (for an arena payload, the 16 bytes of its <see cref="ArenaRef"/>).</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> InlinePayload => ((ReadOnlySpan<byte>)Payload)[..Math.Min((int)PayloadLength, InlinePayloadCapacity)];

    /// <summary>Copies <paramref name="payload"/> into the inline payload and clears the arena flag.</summary>
    /// <exception cref="ArgumentException">The payload is longer than <see cref="InlinePayloadCapacity"/>; put it in an arena.</exception>
    public void SetInlinePayload(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > InlinePayloadCapacity)
        {
            ThrowPayloadTooLarge(payload.Length);
        }

        Span<byte> inline = Payload;
        payload.CopyTo(inline);
        inline[payload.Length..].Clear();
        PayloadLength = (byte)payload.Length;
        Flags &= ~SpikeFlags.ArenaPayload;
    }

    /// <summary>Stores an arena reference as the payload and marks the spike with <see cref="SpikeFlags.ArenaPayload"/>.</summary>
    public void SetArenaRef(ArenaRef reference)
    {
        Span<byte> inline = Payload;
        inline.Clear();
        MemoryMarshal.Write(inline, in reference);
        PayloadLength = ArenaRef.Size;
        Flags |= SpikeFlags.ArenaPayload;
    }

    /// <summary>Reads the arena reference when the spike carries one.</summary>
    public readonly bool TryGetArenaRef(out ArenaRef reference)
    {
        if (!HasArenaPayload)
        {
            reference = default;
            return false;
        }

        reference = MemoryMarshal.Read<ArenaRef>((ReadOnlySpan<byte>)Payload);
        return true;
    }

    /// <summary>Views a spike as its 64 bytes, without copying.</summary>
    public static Span<byte> AsBytes(ref Spike spike) => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref spike, 1));

    /// <summary>Views 64 bytes as a spike, without copying.</summary>
    /// <exception cref="ArgumentException">The span is not exactly <see cref="Size"/> bytes long.</exception>
    public static ref readonly Spike FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            ThrowNotOneSpike(bytes.Length);
        }

        return ref MemoryMarshal.AsRef<Spike>(bytes);
    }

    /// <summary>Views a byte buffer whose length is a multiple of 64 as spikes, without copying.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="Size"/>.</exception>
    public static Span<Spike> AsSpikes(Span<byte> bytes)
    {
        if (bytes.Length % Size != 0)
        {
            ThrowWrongLength(bytes.Length);
        }

        return MemoryMarshal.Cast<byte, Spike>(bytes);
    }

    /// <summary>Views spikes as bytes, without copying.</summary>
    public static Span<byte> AsBytes(Span<Spike> spikes) => MemoryMarshal.AsBytes(spikes);

    /// <inheritdoc />
    public override readonly string ToString()
        => $"Spike({Source}->{(IsBroadcast ? "*" : Target.ToString(System.Globalization.CultureInfo.InvariantCulture))}, {Type}, tick={Tick}, seq={Sequence}, prio={Priority}, flags={Flags}, payload={PayloadLength}B)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPayloadTooLarge(int length)
        => throw new ArgumentException($"A payload of {length} bytes does not fit inline (at most {InlinePayloadCapacity} bytes); store it in an Arena and carry an ArenaRef.", "payload");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotOneSpike(int length)
        => throw new ArgumentException($"A spike is exactly {Size} bytes (got {length}).", "bytes");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength(int length)
        => throw new ArgumentException($"Spike data must be a multiple of {Size} bytes (got {length}).", "bytes");
}
