using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NeuroMesh.Engine;

/// <summary>
/// The spike-train hash, built incrementally: SHA-256 over (tick, neuron) pairs in ascending order, tick as
/// little-endian int64 and neuron as little-endian int32. Appending the spikes of consecutive runs gives the hash of
/// one run over the whole span.
/// </summary>
public sealed class SpikeTrainHash : IDisposable
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Spikes appended so far.</summary>
    public long Count { get; private set; }

    /// <summary>The hash of <paramref name="sorted"/> alone.</summary>
    public static string Of(ReadOnlySpan<SpikeRecord> sorted)
    {
        using var hash = new SpikeTrainHash();
        hash.Append(sorted);
        return hash.Current();
    }

    /// <summary>Appends spikes that are sorted and later than every spike appended before.</summary>
    public void Append(ReadOnlySpan<SpikeRecord> sorted)
    {
        Span<byte> buffer = stackalloc byte[12 * 256];
        var used = 0;
        foreach (var s in sorted)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer[used..], s.Tick);
            BinaryPrimitives.WriteInt32LittleEndian(buffer[(used + 8)..], s.Neuron);
            used += 12;
            if (used == buffer.Length)
            {
                _sha.AppendData(buffer);
                used = 0;
            }
        }

        _sha.AppendData(buffer[..used]);
        Count += sorted.Length;
    }

    /// <summary>The hash of everything appended so far, as lowercase hex.</summary>
    public string Current() => Convert.ToHexStringLower(_sha.GetCurrentHash());

    /// <inheritdoc />
    public void Dispose() => _sha.Dispose();
}
