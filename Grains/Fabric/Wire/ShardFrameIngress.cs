using NeuroMesh.Engine.Sharding;

namespace NeuroMesh.Fabric.Wire;

/// <summary>
/// Receives spike frames for one sharded engine: each frame is validated by a <see cref="SpikeFrameDecoder"/> and, if
/// accepted, its spikes go to <see cref="IShardEngine.IngestRemote"/> from the sending shard, with its end-of-window flag.
/// A rejected frame delivers nothing and is counted; its sender's end of window then never arrives, so the engine's next
/// <see cref="IShardEngine.RunWindow"/> refuses to start instead of running on without those spikes.
/// </summary>
/// <remarks>Not thread-safe; one per receiving shard.</remarks>
public sealed class ShardFrameIngress
{
    private readonly IShardEngine _engine;

    /// <summary>Creates the ingress of a sharded engine.</summary>
    /// <exception cref="ArgumentException">The engine is not sharded.</exception>
    public ShardFrameIngress(IShardEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (engine.Shard is null)
        {
            throw new ArgumentException("the engine is not sharded (it was built without a shard)", nameof(engine));
        }

        _engine = engine;
    }

    /// <summary>The decoder, with its accepted and rejected counts.</summary>
    public SpikeFrameDecoder Decoder { get; } = new();

    /// <summary>
    /// Validates <paramref name="frame"/> and hands its spikes to the engine; returns why it was rejected, or
    /// <see cref="SpikeFrameRejection.None"/>. Besides the decoder's checks, a frame from a sender that is not a peer
    /// shard (<see cref="SpikeFrameRejection.UnknownSender"/>) or for another window than the one the engine is
    /// completing (<see cref="SpikeFrameRejection.OutsideWindow"/>: every shard runs the same windows, so a peer's frame
    /// covers exactly this engine's last window) is refused and counted, and delivers nothing: a stale end-of-window
    /// marker must not end the current window.
    /// </summary>
    /// <exception cref="ArgumentException">A valid frame of this window whose spikes do not belong to its sender's shard or window (see <see cref="IShardEngine.IngestRemote"/>).</exception>
    public SpikeFrameRejection Accept(ReadOnlySpan<byte> frame)
    {
        var reason = Decoder.TryDecode(frame, out var header, out var spikes);
        if (reason != SpikeFrameRejection.None)
        {
            return reason;
        }

        var shard = _engine.Shard!;
        if (header.Sender >= (ulong)shard.Plan.ShardCount || header.Sender == (ulong)shard.Index)
        {
            reason = SpikeFrameRejection.UnknownSender;
        }
        else if ((long)header.LastTick != _engine.WindowLastTick) // the decoder refused a range that runs backwards
        {
            reason = SpikeFrameRejection.OutsideWindow;
        }

        if (reason != SpikeFrameRejection.None)
        {
            Decoder.Refuse(reason, spikes.Length);
            return reason;
        }

        _engine.IngestRemote((int)header.Sender, spikes, (header.Flags & SpikeFrameFlags.EndOfWindow) != 0);
        return reason;
    }
}
