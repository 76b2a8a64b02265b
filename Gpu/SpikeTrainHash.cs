using System.Buffers.Binary;
using NeuroMesh.Engine.Hashing;

namespace NeuroMesh.Engine;

/// <summary>
/// The spike-train hash, built incrementally: SHA-256 over (tick, neuron) pairs in ascending order, tick as
/// little-endian int64 and neuron as little-endian int32. Appending the spikes of consecutive runs gives the hash of
/// one run over the whole span. The running state can be saved (<see cref="ExportState"/>) and resumed
/// (<see cref="Resume"/>), so a run restored from an engine snapshot carries on its hash without the ticks before it.
/// </summary>
public sealed class SpikeTrainHash : IDisposable
{
    private readonly ResumableSha256 _sha;
    private bool _disposed;

    /// <summary>An empty hash (no spike appended).</summary>
    public SpikeTrainHash()
        : this(new ResumableSha256(), 0)
    {
    }

    private SpikeTrainHash(ResumableSha256 sha, long count) => (_sha, Count) = (sha, count);

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
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> buffer = stackalloc byte[12 * 256];
        var used = 0;
        foreach (var s in sorted)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer[used..], s.Tick);
            BinaryPrimitives.WriteInt32LittleEndian(buffer[(used + 8)..], s.Neuron);
            used += 12;
            if (used == buffer.Length)
            {
                _sha.Append(buffer);
                used = 0;
            }
        }

        _sha.Append(buffer[..used]);
        Count += sorted.Length;
    }

    /// <summary>Carries on a hash from <paramref name="state"/> (<see cref="ExportState"/>) after <paramref name="count"/> spikes.</summary>
    /// <exception cref="ArgumentException">The state is not a SHA-256 state, or it did not hash 12 bytes per spike of <paramref name="count"/>.</exception>
    public static SpikeTrainHash Resume(long count, ReadOnlySpan<byte> state)
    {
        var sha = ResumableSha256.Import(state);
        if (count < 0 || sha.Length != count * 12)
        {
            throw new ArgumentException($"the hash state covers {sha.Length} bytes, not the {count} spike(s) of 12 bytes it claims", nameof(count));
        }

        return new SpikeTrainHash(sha, count);
    }

    /// <summary>The running state, to carry on with <see cref="Resume"/>.</summary>
    public byte[] ExportState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _sha.ExportState();
    }

    /// <summary>The hash of everything appended so far, as lowercase hex.</summary>
    public string Current()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Convert.ToHexStringLower(_sha.Current());
    }

    /// <summary>Ends the hash: later appends and reads throw, as a released placement's hash must not be carried on.</summary>
    public void Dispose() => _disposed = true;
}
