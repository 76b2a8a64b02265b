using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuroMesh.Hashing;

/// <summary>
/// CRC32C (Castagnoli) over bytes, eight at a time with the CPU's instruction (<see cref="BitOperations.Crc32C(uint, ulong)"/>).
/// The one helper behind spike frames and delta-log checksums: words are read little-endian on every platform, so a
/// frame or a log file moved between machines still verifies.
/// </summary>
internal static class Crc32C
{
    /// <summary>The initial value of a CRC32C; the finished checksum is the complement of the running value.</summary>
    public const uint Seed = uint.MaxValue;

    /// <summary>Continues <paramref name="crc"/> over <paramref name="data"/> (no length prefix, no final complement).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        foreach (var b in data[(words.Length * sizeof(ulong))..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>The finished CRC32C of <paramref name="data"/>.</summary>
    public static uint Of(ReadOnlySpan<byte> data) => ~Append(Seed, data);
}
