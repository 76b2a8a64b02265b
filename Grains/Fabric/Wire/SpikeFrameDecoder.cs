using System.Runtime.InteropServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric.Wire;

/// <summary>
/// Validates received spike frames for one receiving silo: bounds, magic, version, header sanity, CRC32C,
/// and per-sender replay. A rejected frame is counted by reason and delivers nothing; it never throws.
/// </summary>
/// <remarks>One decoder belongs to one receiver and is not thread-safe (the ingress grain is single-threaded).</remarks>
public sealed class SpikeFrameDecoder
{
    private readonly Dictionary<ulong, ulong> _lastSequence = [];
    private readonly long[] _rejected = new long[Enum.GetValues<SpikeFrameRejection>().Length];
    private (ulong Sender, ulong? Previous, bool Gap)? _undo;

    /// <summary>Frames accepted.</summary>
    public long Accepted { get; private set; }

    /// <summary>Spikes in accepted frames.</summary>
    public long SpikesAccepted { get; private set; }

    /// <summary>Frames that arrived after a gap in their sender's sequence (earlier frames were lost upstream).</summary>
    public long Gaps { get; private set; }

    /// <summary>Frames rejected for <paramref name="reason"/>.</summary>
    public long Rejected(SpikeFrameRejection reason) => _rejected[(int)reason];

    /// <summary>Frames rejected for any reason.</summary>
    public long RejectedTotal => _rejected.Sum();

    /// <summary>
    /// Validates <paramref name="frame"/>. On success <paramref name="header"/> is its header and <paramref name="spikes"/>
    /// views its spikes in place (valid while the frame is); on failure both are empty and the reason is counted.
    /// </summary>
    public SpikeFrameRejection TryDecode(ReadOnlySpan<byte> frame, out SpikeFrameHeader header, out ReadOnlySpan<Spike> spikes)
    {
        var reason = Validate(frame, out header);
        if (reason != SpikeFrameRejection.None)
        {
            _rejected[(int)reason]++;
            header = default;
            spikes = default;
            return reason;
        }

        if (_lastSequence.TryGetValue(header.Sender, out var last) && header.Sequence <= last)
        {
            _rejected[(int)SpikeFrameRejection.Replayed]++;
            header = default;
            spikes = default;
            return SpikeFrameRejection.Replayed;
        }

        var gap = header.Sequence != last + 1;
        if (gap)
        {
            Gaps++;
        }

        _undo = (header.Sender, _lastSequence.TryGetValue(header.Sender, out var previous) ? previous : null, gap);
        _lastSequence[header.Sender] = header.Sequence;
        spikes = MemoryMarshal.Cast<byte, Spike>(frame[SpikeFrameHeader.Size..]);
        Accepted++;
        SpikesAccepted += spikes.Length;
        return SpikeFrameRejection.None;
    }

    /// <summary>
    /// Undoes the last frame that <see cref="TryDecode"/> accepted and counts it as rejected for
    /// <paramref name="reason"/>, because its receiver found it wrong for where it is: its sender's sequence goes back
    /// to what it was, so a stray frame cannot make the sender's next real frame look replayed.
    /// </summary>
    /// <exception cref="InvalidOperationException">No accepted frame to undo (called twice, or before any accept).</exception>
    public void Refuse(SpikeFrameRejection reason, int spikes)
    {
        var (sender, previous, gap) = _undo ?? throw new InvalidOperationException("Refuse undoes the frame TryDecode accepted last; there is none");
        _undo = null;
        if (previous is { } sequence)
        {
            _lastSequence[sender] = sequence;
        }
        else
        {
            _lastSequence.Remove(sender);
        }

        Gaps -= gap ? 1 : 0;
        Accepted--;
        SpikesAccepted -= spikes;
        _rejected[(int)reason]++;
    }

    private static SpikeFrameRejection Validate(ReadOnlySpan<byte> frame, out SpikeFrameHeader header)
    {
        header = default;
        if (frame.Length < SpikeFrameHeader.Size)
        {
            return SpikeFrameRejection.Truncated;
        }

        header = MemoryMarshal.Read<SpikeFrameHeader>(frame);
        if (header.Magic != SpikeFrameHeader.ExpectedMagic)
        {
            return SpikeFrameRejection.BadMagic;
        }

        if (header.Version != SpikeFrameHeader.CurrentVersion)
        {
            return SpikeFrameRejection.UnknownVersion;
        }

        if (header.Count > SpikeFrame.MaxSpikes)
        {
            return SpikeFrameRejection.MalformedHeader;
        }

        var expected = SpikeFrame.SizeFor((int)header.Count);
        if (frame.Length < expected)
        {
            return SpikeFrameRejection.Truncated;
        }

        if (frame.Length > expected)
        {
            return SpikeFrameRejection.TrailingBytes;
        }

        if ((header.Flags & ~SpikeFrameFlags.EndOfWindow) != 0 || header.Sequence == 0 || header.LastTick < header.FirstTick
            || frame[6] != 0 || frame[7] != 0 || frame[48..SpikeFrameHeader.Size].ContainsAnyExcept((byte)0))
        {
            return SpikeFrameRejection.MalformedHeader;
        }

        return SpikeFrame.Checksum(frame) == header.Crc ? SpikeFrameRejection.None : SpikeFrameRejection.BadChecksum;
    }
}
