namespace NeuroMesh.Simulation;

/// <summary>A run's status: its phase, the tick it has reached, and the spike train so far.</summary>
[GenerateSerializer, Immutable]
public sealed record RunStatus
{
    /// <summary>The run id (the simulation grain's key).</summary>
    [Id(0)] public required string RunId { get; init; }

    /// <summary>The phase.</summary>
    [Id(1)] public RunPhase Phase { get; init; }

    /// <summary>Ticks run so far.</summary>
    [Id(2)] public long Tick { get; init; }

    /// <summary>Ticks in the spec's duration.</summary>
    [Id(3)] public long TotalTicks { get; init; }

    /// <summary>Spikes fired so far.</summary>
    [Id(4)] public long Spikes { get; init; }

    /// <summary>The spike-train hash of ticks 0..<see cref="Tick"/> (SHA-256 over sorted (tick, neuron) pairs).</summary>
    [Id(5)] public string SpikeTrainHash { get; init; } = string.Empty;

    /// <summary>SHA-256 of the deployed spec's canonical JSON.</summary>
    [Id(6)] public string SpecHash { get; init; } = string.Empty;

    /// <summary>The run's seed.</summary>
    [Id(7)] public ulong Seed { get; init; }

    /// <summary>Checkpoints recorded in the run's delta log.</summary>
    [Id(8)] public int Checkpoints { get; init; }

    /// <summary>Silos the run is placed on (0 while it is not placed; 0 in the request means every active silo).</summary>
    [Id(9)] public int Silos { get; init; }

    /// <summary>Neurons in the network (0 before deploy).</summary>
    [Id(10)] public int Neurons { get; init; }

    /// <summary>Synapses in the network, summed over the shards (0 while the run is not placed).</summary>
    [Id(11)] public long Synapses { get; init; }

    /// <summary>The lockstep exchange window in ticks (the minimum cross-silo latency; 0 while not placed).</summary>
    [Id(12)] public int WindowTicks { get; init; }

    /// <summary>Batches this activation published on the run's tap (<see cref="SpikeTaps"/>).</summary>
    [Id(13)] public long TapBatches { get; init; }

    /// <summary>Tap publications that failed (logged; the run itself is unaffected).</summary>
    [Id(14)] public long TapFailures { get; init; }

    /// <summary>Plastic weight changes logged so far, summed over the per-checkpoint diffs (0 for a network without plasticity).</summary>
    [Id(15)] public long WeightChanges { get; init; }

    /// <summary>The spec's time step in ms (0 before deploy); simulated time is <see cref="Tick"/> × DtMs.</summary>
    [Id(16)] public double DtMs { get; init; }

    /// <summary>How often the run lost a silo of its placement and recovered by itself (rolled back to its last checkpoint and placed again on the silos left).</summary>
    [Id(17)] public int Recoveries { get; init; }

    /// <summary>The activation of the run's grain that answered (a new one means the run was rebuilt from its log, not recovered in place).</summary>
    [Id(18)] public string Activation { get; init; } = string.Empty;

    /// <summary>Each recovery counted in <see cref="Recoveries"/>, oldest first.</summary>
    [Id(19)] public IReadOnlyList<RunRecovery> RecoveryHistory { get; init; } = [];

    /// <summary>Engine snapshots of the run in its log (those kept by the retention policy).</summary>
    [Id(20)] public int Snapshots { get; init; }

    /// <summary>The tick of the latest snapshot, or -1 when there is none.</summary>
    [Id(21)] public long LastSnapshotTick { get; init; } = -1;

    /// <summary>Bytes of the snapshots in the log (as written).</summary>
    [Id(22)] public long SnapshotBytes { get; init; }

    /// <summary>The longest time a snapshot held the run's shards (the copy; encoding and writing run beside the next windows), in ms.</summary>
    [Id(23)] public double SnapshotStallMs { get; init; }

    /// <summary>The tick the run began at: 0, or that of the snapshot it was forked or imported from.</summary>
    [Id(24)] public long BaseTick { get; init; }

    /// <summary>The run it was forked or imported from (empty when it began at tick 0 from its spec).</summary>
    [Id(25)] public string ForkedFrom { get; init; } = string.Empty;

    /// <summary>Seconds this activation spent on checkpoints: merging the shards' spikes, hashing, recording, digests.</summary>
    [Id(26)] public double CheckpointSeconds { get; init; }

    /// <summary>Seconds this activation waited for the delta log to confirm checkpoints (durable appends).</summary>
    [Id(27)] public double LogSeconds { get; init; }

    /// <summary>
    /// Why the run's last step or background run failed (empty when it has not failed since its last checkpoint or start):
    /// a failed run never just falls back to Deployed or Paused without saying so.
    /// </summary>
    [Id(28)] public string Error { get; init; } = string.Empty;

    /// <summary>
    /// Checkpoints the run's log holds twice (the same tick, spikes and hash, counted once in <see cref="Checkpoints"/>):
    /// a crash lost the acknowledgement of a write that landed, and the recovering run logged the window again.
    /// </summary>
    [Id(29)] public int DuplicateCheckpoints { get; init; }
}
