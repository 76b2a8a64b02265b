namespace NeuroMesh.Fabric;

/// <summary>
/// The one place that computes where everything lives inside a silo's fabric arena:
/// [header 4 KiB | rings | payload arena | state arrays | unused]. Every region starts on a 4 KiB boundary.
/// </summary>
public sealed class FabricLayout
{
    /// <summary>Bytes reserved at the start of the arena for the fabric's own header.</summary>
    public const long HeaderBytes = 4096;

    private const long Page = 4096;
    private const long MiB = 1024 * 1024;

    private FabricLayout(FabricLayoutOptions options)
    {
        Options = options;
        RingBytes = (long)options.RingCapacity * Spikes.Spike.Size;
        RingsOffset = HeaderBytes;
        PayloadOffset = AlignUp(RingsOffset + (RingBytes * options.RingCount));
        StateOffset = AlignUp(PayloadOffset + options.PayloadBytes);
        UsedBytes = StateOffset + options.StateBytes;
    }

    /// <summary>The sizes this layout was computed from.</summary>
    public FabricLayoutOptions Options { get; }

    /// <summary>Total arena size.</summary>
    public long TotalBytes => Options.TotalBytes;

    /// <summary>Number of rings.</summary>
    public int RingCount => Options.RingCount;

    /// <summary>Slots of a full-size ring (the most a growable ring reaches).</summary>
    public int RingCapacity => Options.RingCapacity;

    /// <summary>Slots of the smallest ring: where an agent's ring starts.</summary>
    public int MinRingCapacity => Options.MinRingCapacity == 0 ? Options.RingCapacity : Options.MinRingCapacity;

    /// <summary>Bytes of the smallest ring: the fabric memory of an idle agent.</summary>
    public long MinRingBytes => (long)MinRingCapacity * Spikes.Spike.Size;

    /// <summary>Bytes of the whole ring pool.</summary>
    public long RingPoolBytes => RingBytes * RingCount;

    /// <summary>Smallest rings the pool holds at once: the most idle agents the fabric can host.</summary>
    public long MaxSmallRings => RingPoolBytes / MinRingBytes;

    /// <summary>Bytes per ring.</summary>
    public long RingBytes { get; }

    /// <summary>Offset of ring 0.</summary>
    public long RingsOffset { get; }

    /// <summary>Offset of the payload arena.</summary>
    public long PayloadOffset { get; }

    /// <summary>Length of the payload arena.</summary>
    public long PayloadBytes => Options.PayloadBytes;

    /// <summary>Offset of the state area.</summary>
    public long StateOffset { get; }

    /// <summary>Length of the state area.</summary>
    public long StateBytes => Options.StateBytes;

    /// <summary>Bytes covered by the header and every region.</summary>
    public long UsedBytes { get; }

    /// <summary>Every region, in address order.</summary>
    public IReadOnlyList<FabricRegion> Regions =>
    [
        new("header", 0, HeaderBytes),
        new("rings", RingsOffset, RingBytes * RingCount),
        new("payload", PayloadOffset, PayloadBytes),
        new("state", StateOffset, StateBytes),
    ];

    /// <summary>Offset of ring <paramref name="index"/>.</summary>
    public long RingOffset(int index)
    {
        if ((uint)index >= (uint)RingCount)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(index), $"Ring index {index} is outside 0..{RingCount - 1}.");
        }

        return RingsOffset + (RingBytes * index);
    }

    /// <summary>
    /// The preset sizes of a tier: a quarter of the arena for rings (2,048 slots each; 4,096 for Dedicated),
    /// a quarter for payloads, and the rest for state arrays.
    /// </summary>
    /// <param name="tier">The tier.</param>
    /// <param name="dedicatedBytes">Dedicated only: the arena size, a power of two of at least 256 MiB.</param>
    public static FabricLayoutOptions Preset(FabricTier tier, long dedicatedBytes = 256 * MiB)
    {
        var total = tier switch
        {
            FabricTier.Light => 32 * MiB,
            FabricTier.Moderate => 64 * MiB,
            FabricTier.Heavy => 128 * MiB,
            FabricTier.Dedicated when dedicatedBytes >= 256 * MiB && IsPowerOfTwo(dedicatedBytes) => dedicatedBytes,
            FabricTier.Dedicated => throw new ArgumentOutOfRangeException(nameof(dedicatedBytes), $"TotalBytes: a Dedicated fabric is a power of two of at least 256 MiB (got {dedicatedBytes} bytes)."),
            _ => throw new ArgumentOutOfRangeException(nameof(tier), $"Unknown fabric tier {(int)tier}."),
        };
        var capacity = tier == FabricTier.Dedicated ? 4096 : 2048;
        var ringCount = (int)(total / 4 / (capacity * (long)Spikes.Spike.Size));
        var payload = total / 4;
        return new FabricLayoutOptions
        {
            TotalBytes = total,
            RingCount = ringCount,
            RingCapacity = capacity,
            MinRingCapacity = DefaultMinRingCapacity,
            PayloadBytes = payload,
            StateBytes = total - AlignUp(HeaderBytes + (total / 4)) - payload,
        };
    }

    /// <summary>Slots an agent's ring starts with in the presets (16 slots: 1 KiB).</summary>
    public const int DefaultMinRingCapacity = 16;

    /// <summary>
    /// <paramref name="options"/> with a ring pool large enough for <paramref name="agents"/> idle agents (one smallest
    /// ring each) on top of the rings it has (which stay as headroom for rings that grow with their traffic). The arena
    /// grows to the next power of two that holds every region; payload and state keep their sizes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="agents"/> is negative.</exception>
    public static FabricLayoutOptions WithAgentCapacity(FabricLayoutOptions options, int agents)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        var ringBytes = (long)options.RingCapacity * Spikes.Spike.Size;
        var min = options.MinRingCapacity == 0 ? options.RingCapacity : options.MinRingCapacity;
        var extra = (int)(((agents * (long)min * Spikes.Spike.Size) + ringBytes - 1) / ringBytes);
        var rings = options.RingCount + extra;
        var used = AlignUp(AlignUp(AlignUp(HeaderBytes + (ringBytes * rings)) + options.PayloadBytes) + options.StateBytes);
        var total = Math.Max(options.TotalBytes, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)used));
        return options with { RingCount = rings, TotalBytes = total };
    }

    /// <summary>The layout of a tier preset.</summary>
    public static FabricLayout ForTier(FabricTier tier, long dedicatedBytes = 256 * MiB) => Create(Preset(tier, dedicatedBytes));

    /// <summary>Computes and validates a layout.</summary>
    /// <exception cref="ArgumentException">A size is invalid or the regions do not fit; the message names the field.</exception>
    public static FabricLayout Create(FabricLayoutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(options.TotalBytes >= MiB && IsPowerOfTwo(options.TotalBytes), nameof(options.TotalBytes), $"must be a power of two of at least 1 MiB (got {options.TotalBytes})");
        Require(options.RingCount >= 1, nameof(options.RingCount), $"must be at least 1 (got {options.RingCount})");
        Require(options.RingCapacity >= 2 && IsPowerOfTwo(options.RingCapacity), nameof(options.RingCapacity), $"must be a power of two of at least 2 (got {options.RingCapacity})");
        Require(options.MinRingCapacity == 0 || (options.MinRingCapacity >= 2 && IsPowerOfTwo(options.MinRingCapacity) && options.MinRingCapacity <= options.RingCapacity), nameof(options.MinRingCapacity), $"must be 0 or a power of two in 2..RingCapacity ({options.RingCapacity}) (got {options.MinRingCapacity})");
        Require(options.PayloadBytes >= Arena.MinimumCapacity && options.PayloadBytes % CacheLine.Alignment == 0, nameof(options.PayloadBytes), $"must be a multiple of 64 of at least {Arena.MinimumCapacity} (got {options.PayloadBytes})");
        Require(options.StateBytes >= 0 && options.StateBytes % CacheLine.Alignment == 0, nameof(options.StateBytes), $"must be a non-negative multiple of 64 (got {options.StateBytes})");

        var layout = new FabricLayout(options);
        Require(
            layout.UsedBytes <= options.TotalBytes,
            nameof(options.TotalBytes),
            $"is too small: the regions would overlap past the end (header {HeaderBytes} + rings {options.RingCount} x {layout.RingBytes} + payload {options.PayloadBytes} + state {options.StateBytes}, with page alignment, need {layout.UsedBytes} bytes; TotalBytes is {options.TotalBytes})");
        return layout;
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            ThrowHelper.Argument(field, $"FabricLayout.{field} {problem}.");
        }
    }

    private static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    private static long AlignUp(long value) => (value + Page - 1) & ~(Page - 1);
}
