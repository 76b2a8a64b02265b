namespace NeuroMesh.Simulation;

/// <summary>A region shard of a lockstep run, as it stands.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.shard-info")]
public sealed record class ShardInfo
{
    /// <summary>The shard's index.</summary>
    [Id(0)] public int Index { get; init; }

    /// <summary>The silo that hosts it (parsable address).</summary>
    [Id(1)] public string Silo { get; init; } = string.Empty;

    /// <summary>Its first neuron.</summary>
    [Id(2)] public int FirstNeuron { get; init; }

    /// <summary>One past its last neuron.</summary>
    [Id(3)] public int EndNeuron { get; init; }

    /// <summary>Synapses onto its neurons.</summary>
    [Id(4)] public long Synapses { get; init; }

    /// <summary>The exchange window in ticks (the minimum cross-shard latency).</summary>
    [Id(5)] public int WindowTicks { get; init; }

    /// <summary>Ticks run.</summary>
    [Id(6)] public long Tick { get; init; }

    /// <summary>Windows run.</summary>
    [Id(7)] public long Windows { get; init; }

    /// <summary>Frames this shard produced onto the spike streams (one copy per receiving peer).</summary>
    [Id(8)] public long FramesSent { get; init; }

    /// <summary>Spikes this shard sent, counted once per receiving peer.</summary>
    [Id(9)] public long SpikesSent { get; init; }

    /// <summary>Frames from peers that were accepted and applied.</summary>
    [Id(10)] public long FramesReceived { get; init; }

    /// <summary>Spikes from peers that were accepted and applied.</summary>
    [Id(11)] public long SpikesReceived { get; init; }

    /// <summary>Frames from peers that were rejected (corrupt, truncated, replayed), which delivered nothing.</summary>
    [Id(12)] public long FramesRejected { get; init; }

    /// <summary>
    /// Spikes from peers that arrived but are not applied yet: queued in the inbox, held for the next window, or taken for a
    /// window whose last peer has not ended it (the last window of a run stays here, since no window follows it).
    /// </summary>
    [Id(13)] public long SpikesPending { get; init; }

    /// <summary>The channel on which it receives its peers' frames on its silo (names the run, its placement epoch and the shard).</summary>
    [Id(14)] public string Channel { get; init; } = string.Empty;

    /// <summary>Seconds spent waiting for peers' end-of-window markers.</summary>
    [Id(15)] public double WaitSeconds { get; init; }

    /// <summary>Seconds spent running windows on the engine.</summary>
    [Id(16)] public double ComputeSeconds { get; init; }

    /// <summary>Seconds spent producing frames onto the peers' streams.</summary>
    [Id(17)] public double SendSeconds { get; init; }

    /// <summary>How it sends windows to peers: <c>Push</c>, <c>Calls</c> or <c>Streams</c> (<c>NeuroMesh:Cluster:LockstepTransport</c>).</summary>
    [Id(18)] public string Transport { get; init; } = string.Empty;

    /// <summary>The engine that simulates it, in words (CpuEngine, or IlgpuEngine and its device), and why it was chosen.</summary>
    [Id(19)] public string Engine { get; init; } = string.Empty;

    /// <summary>
    /// Spikes sent to each shard, by shard index (0 for itself): only the spikes of neurons with a synapse onto that
    /// shard travel there, so a shard without such synapses gets end-of-window markers only.
    /// </summary>
    [Id(20)] public long[] SpikesSentTo { get; init; } = [];

    /// <summary>Synapses of the whole network whose source and target lie in different shards (the partition's cut).</summary>
    [Id(21)] public long CrossingSynapses { get; init; }

    /// <summary>Synapses of the whole network.</summary>
    [Id(22)] public long NetworkSynapses { get; init; }

    /// <summary>The median time a window spent on the exchange (waiting for peers plus sending), in µs (a bucket's upper bound, ±9%).</summary>
    [Id(23)] public double ExchangeP50Micros { get; init; }

    /// <summary>The 99th percentile of the time a window spent on the exchange, in µs (a bucket's upper bound, ±9%).</summary>
    [Id(24)] public double ExchangeP99Micros { get; init; }
}
