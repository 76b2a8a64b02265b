using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NeuroMesh.Engine.Cpu;

/// <summary>SHA-256 over sorted (tick, neuron) pairs: tick as little-endian int64, neuron as little-endian int32.</summary>
internal static class SpikeTrainHasher
{
    public static string Hash(ReadOnlySpan<SpikeRecord> sorted)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buffer = stackalloc byte[12 * 256];
        var used = 0;
        foreach (var s in sorted)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer[used..], s.Tick);
            BinaryPrimitives.WriteInt32LittleEndian(buffer[(used + 8)..], s.Neuron);
            used += 12;
            if (used == buffer.Length)
            {
                sha.AppendData(buffer);
                used = 0;
            }
        }

        sha.AppendData(buffer[..used]);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
