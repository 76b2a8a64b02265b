using NeuroMesh.Engine.Sharding;

namespace NeuroMesh.Fabric.Wire;

/// <summary>
/// Turns one shard's windows into spike frames for lockstep exchange: each window becomes one or more frames (at most
/// <see cref="SpikeFrame.MaxSpikes"/> spikes each) covering the window's ticks, and the last carries
/// <see cref="SpikeFrameFlags.EndOfWindow"/>; a window without spikes still sends that marker. The sender is the shard index.
/// </summary>
/// <remarks>One encoder belongs to one sending shard (it owns the sequence) and is not thread-safe.</remarks>
public sealed class ShardFrameEncoder
{
    private readonly int _shard;
    private ulong _sequence;

    /// <summary>Creates the encoder of shard <paramref name="shard"/>.</summary>
    public ShardFrameEncoder(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        _shard = shard;
    }

    /// <summary>The sequence of the last frame encoded (0 before the first).</summary>
    public ulong Sequence => _sequence;

    /// <summary>Encodes <paramref name="window"/>, which must be this shard's.</summary>
    /// <exception cref="ArgumentException">The window belongs to another shard.</exception>
    public IReadOnlyList<byte[]> Encode(ShardWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Shard != _shard)
        {
            throw new ArgumentException($"this encoder sends for shard {_shard}, not shard {window.Shard}", nameof(window));
        }

        var frames = new List<byte[]>();
        var spikes = window.Spikes.AsSpan();
        do
        {
            var n = Math.Min(spikes.Length, SpikeFrame.MaxSpikes);
            var last = n == spikes.Length;
            frames.Add(SpikeFrame.Encode((ulong)_shard, ++_sequence, (ulong)window.FirstTick, (ulong)window.LastTick, spikes[..n],
                last ? SpikeFrameFlags.EndOfWindow : SpikeFrameFlags.None));
            spikes = spikes[n..];
        }
        while (!spikes.IsEmpty);
        return frames;
    }
}
