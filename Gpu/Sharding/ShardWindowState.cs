using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Sharding;

/// <summary>
/// The window bookkeeping every shard engine shares: which window ran last, which peers have ended it, and the checks
/// that refuse a window before its peers' spikes are in, or remote spikes that do not belong to the window.
/// </summary>
internal sealed class ShardWindowState(ShardAssignment shard)
{
    private readonly bool[] _peerEnded = new bool[shard.Plan.ShardCount];

    public ShardAssignment Shard { get; } = shard;

    /// <summary>The index of the window run last (-1 before the first).</summary>
    public long Index { get; private set; } = -1;

    public long First { get; private set; }

    public int Ticks { get; private set; }

    public long LastTick => Index < 0 ? -1 : First + Ticks - 1;

    public bool PeersComplete => Index < 0 || Array.TrueForAll(_peerEnded, e => e);

    public IReadOnlyList<int> MissingPeers() => [.. Enumerable.Range(0, _peerEnded.Length).Where(k => !_peerEnded[k])];

    /// <summary>Checks a window of <paramref name="ticks"/> from <paramref name="tick"/> may start.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticks"/> is outside [1, WindowTicks].</exception>
    /// <exception cref="InvalidOperationException">A peer has not ended the previous window, or the tick counter would overflow.</exception>
    public void CheckStart(int ticks, long tick)
    {
        if (ticks < 1 || ticks > Shard.Plan.WindowTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(ticks), $"a window runs 1 to {Shard.Plan.WindowTicks} ticks (the minimum cross-shard latency); got {ticks}");
        }

        if (tick + ticks >= int.MaxValue - 65536)
        {
            throw new InvalidOperationException("the engine counts ticks in 31 bits; this window would pass that limit");
        }

        var missing = Index < 0 ? [] : MissingPeers();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"shard {Shard.Index} cannot start window {Index + 1}: no end of window {Index} (ticks {First}..{LastTick}) " +
                $"from shard(s) {string.Join(", ", missing)}; a batch was lost or rejected, and running on would diverge from the unsharded network");
        }
    }

    /// <summary>Records that a window of <paramref name="ticks"/> from <paramref name="first"/> ran; only this shard has ended it so far.</summary>
    public void Began(long first, int ticks)
    {
        Index++;
        (First, Ticks) = (first, ticks);
        Array.Clear(_peerEnded);
        _peerEnded[Shard.Index] = true;
    }

    /// <summary>Checks that <paramref name="spikes"/> may be taken from <paramref name="fromShard"/> for the last window.</summary>
    public void CheckIngest(int fromShard, ReadOnlySpan<Spike> spikes)
    {
        if (Index < 0)
        {
            throw new InvalidOperationException("no window has run yet, so there is nothing to take spikes for");
        }

        if ((uint)fromShard >= (uint)Shard.Plan.ShardCount || fromShard == Shard.Index)
        {
            throw new ArgumentOutOfRangeException(nameof(fromShard), $"shard {fromShard} is not a peer of shard {Shard.Index} (shards 0..{Shard.Plan.ShardCount - 1})");
        }

        if (_peerEnded[fromShard])
        {
            throw new InvalidOperationException($"shard {fromShard} already ended window {Index}; a replayed or duplicated batch");
        }

        int lo = Shard.Plan.Lo(fromShard), hi = Shard.Plan.Hi(fromShard);
        foreach (ref readonly var s in spikes)
        {
            if (s.Source < (uint)lo || s.Source >= (uint)hi || s.Tick < First || s.Tick > LastTick)
            {
                throw new ArgumentException(
                    $"spike (neuron {s.Source}, tick {s.Tick}) is not from shard {fromShard}'s neurons [{lo}, {hi}) in window {Index} (ticks {First}..{LastTick})",
                    nameof(spikes));
            }
        }
    }

    /// <summary>Marks <paramref name="fromShard"/>'s end of the window when <paramref name="endOfWindow"/>; true when every peer has ended it now.</summary>
    public bool Ended(int fromShard, bool endOfWindow)
    {
        _peerEnded[fromShard] |= endOfWindow;
        return endOfWindow && Array.TrueForAll(_peerEnded, e => e);
    }
}
