using System.Buffers;
using System.Numerics;
using System.Text;

namespace NeuroMesh.Persistence;

/// <summary>
/// CRC-32C framing. A record's checksum covers its stream id, version, type and payload, each length-prefixed, so a
/// byte flipped in any of them, or a row moved to another stream or version, fails the check.
/// </summary>
internal static class DeltaChecksum
{
    // Distinct domain tags keep a snapshot's checksum from ever matching a record's over the same bytes.
    private const ulong RecordTag = 0x4E4D_4452_0000_0001; // "NMDR" v1
    private const ulong SnapshotTag = 0x4E4D_534E_0000_0001; // "NMSN" v1
    private const ulong BatchTag = 0x4E4D_4254_0000_0001; // "NMBT" v1

    public static uint Record(string streamId, long version, string type, ReadOnlySpan<byte> payload)
    {
        var crc = BitOperations.Crc32C(uint.MaxValue, RecordTag);
        crc = AppendString(crc, streamId);
        crc = BitOperations.Crc32C(crc, (ulong)version);
        crc = AppendString(crc, type);
        crc = AppendBytes(crc, payload);
        return ~crc;
    }

    public static uint Snapshot(string streamId, long version, ReadOnlySpan<byte> data)
    {
        var crc = BitOperations.Crc32C(uint.MaxValue, SnapshotTag);
        crc = AppendString(crc, streamId);
        crc = BitOperations.Crc32C(crc, (ulong)version);
        crc = AppendBytes(crc, data);
        return ~crc;
    }

    /// <summary>A checksum of a batch's content only (types and payloads, in order): what a retry is compared by.</summary>
    public static uint BatchContent(IReadOnlyList<Delta> deltas)
    {
        var crc = BitOperations.Crc32C(uint.MaxValue, BatchTag);
        crc = BitOperations.Crc32C(crc, (ulong)deltas.Count);
        foreach (var delta in deltas)
        {
            crc = AppendString(crc, delta.Type);
            crc = AppendBytes(crc, delta.Payload.Span);
        }

        return ~crc;
    }

    private static uint AppendString(uint crc, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            return AppendBytes(crc, buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static uint AppendBytes(uint crc, ReadOnlySpan<byte> bytes)
        => Hashing.Crc32C.Append(BitOperations.Crc32C(crc, (ulong)bytes.Length), bytes);
}
