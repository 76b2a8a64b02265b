using System.Runtime.InteropServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric.Wire;

/// <summary>Encodes spike frames: a <see cref="SpikeFrameHeader"/> and the spikes, sealed with a CRC32C.</summary>
public static class SpikeFrame
{
    /// <summary>The largest number of spikes in one frame (4 MiB of spikes).</summary>
    public const int MaxSpikes = 65536;

    /// <summary>Bytes a frame of <paramref name="count"/> spikes occupies.</summary>
    public static int SizeFor(int count) => SpikeFrameHeader.Size + (count * Spike.Size);

    /// <summary>Encodes a frame into a new array.</summary>
    /// <exception cref="ArgumentException">Too many spikes, a sequence of zero, or a tick range that runs backwards.</exception>
    public static byte[] Encode(ulong sender, ulong sequence, ulong firstTick, ulong lastTick, ReadOnlySpan<Spike> spikes, SpikeFrameFlags flags = SpikeFrameFlags.None)
    {
        var frame = new byte[SizeFor(spikes.Length)];
        Encode(frame, sender, sequence, firstTick, lastTick, spikes, flags);
        return frame;
    }

    /// <summary>Encodes a frame into <paramref name="destination"/>, which must be exactly <see cref="SizeFor"/> bytes.</summary>
    public static void Encode(Span<byte> destination, ulong sender, ulong sequence, ulong firstTick, ulong lastTick, ReadOnlySpan<Spike> spikes, SpikeFrameFlags flags = SpikeFrameFlags.None)
    {
        if (spikes.Length > MaxSpikes)
        {
            throw new ArgumentException($"A spike frame holds at most {MaxSpikes} spikes (got {spikes.Length}); split the batch.", nameof(spikes));
        }

        if (sequence == 0)
        {
            throw new ArgumentException("Frame sequences start at 1.", nameof(sequence));
        }

        if (lastTick < firstTick)
        {
            throw new ArgumentException($"The tick range runs backwards ({firstTick}..{lastTick}).", nameof(lastTick));
        }

        if (destination.Length != SizeFor(spikes.Length))
        {
            throw new ArgumentException($"A frame of {spikes.Length} spikes is {SizeFor(spikes.Length)} bytes (destination has {destination.Length}).", nameof(destination));
        }

        destination[..SpikeFrameHeader.Size].Clear();
        ref var header = ref MemoryMarshal.AsRef<SpikeFrameHeader>(destination);
        header.Magic = SpikeFrameHeader.ExpectedMagic;
        header.Version = SpikeFrameHeader.CurrentVersion;
        header.Flags = flags;
        header.Count = (uint)spikes.Length;
        header.Sender = sender;
        header.Sequence = sequence;
        header.FirstTick = firstTick;
        header.LastTick = lastTick;
        MemoryMarshal.AsBytes(spikes).CopyTo(destination[SpikeFrameHeader.Size..]);
        header.Crc = Checksum(destination);
    }

    /// <summary>CRC32C of a frame, computed as if its CRC field were zero.</summary>
    internal static uint Checksum(ReadOnlySpan<byte> frame)
    {
        // Header bytes 0..11, four zero bytes in place of the CRC, then everything after it.
        var crc = Hashing.Crc32C.Append(Hashing.Crc32C.Seed, frame[..12]);
        crc = System.Numerics.BitOperations.Crc32C(crc, 0u);
        return ~Hashing.Crc32C.Append(crc, frame[16..]);
    }
}
