namespace NeuroMesh.Cluster;

/// <summary>
/// What one sending silo's outbox has done with the spikes for one destination silo. Every spike handed to the outbox is
/// counted exactly once: <c>Sent = Delivered + Dropped + InFlight</c>.
/// </summary>
public sealed record class MeshLaneCounters
{
    /// <summary>The destination silo.</summary>
    public required SiloAddress Destination { get; init; }

    /// <summary>Spikes handed to the outbox for this destination (taken or dropped).</summary>
    public long Sent { get; init; }

    /// <summary>Spikes the destination has acknowledged (its receipt for this sender).</summary>
    public long Delivered { get; init; }

    /// <summary>Spikes dropped because the outbox was full (<see cref="SiloOutbox.Post"/>, simulation semantics).</summary>
    public long DroppedOutboxFull { get; init; }

    /// <summary>Spikes of batches whose enqueue on the stream failed.</summary>
    public long DroppedEnqueueFailed { get; init; }

    /// <summary>Spikes still pending when the outbox was closed.</summary>
    public long DroppedClosed { get; init; }

    /// <summary>
    /// Spikes of batches that were enqueued but never reached the destination, found when its receipt passes over their
    /// sequence (memory streams lose what a queue's cache held when the queue moves to another silo's pulling agent).
    /// </summary>
    public long DroppedLost { get; init; }

    /// <summary>Spikes not yet acknowledged when the destination silo left the cluster (pending or on the wire to it).</summary>
    public long DroppedSiloLost { get; init; }

    /// <summary>
    /// True once the destination silo has left the cluster (<see cref="SiloOutbox.DestinationLost"/>): what it had not
    /// acknowledged was counted in <see cref="DroppedSiloLost"/>, and the lane takes no more spikes.
    /// </summary>
    public bool DestinationLost { get; init; }

    /// <summary>Spikes dropped, every reason.</summary>
    public long Dropped => DroppedOutboxFull + DroppedEnqueueFailed + DroppedClosed + DroppedLost + DroppedSiloLost;

    /// <summary>Spikes neither delivered nor dropped: waiting in the outbox, in a queue, or not yet acknowledged.</summary>
    public long InFlight => Sent - Delivered - Dropped;

    /// <summary>Spikes waiting in the outbox for their batch.</summary>
    public int Pending { get; init; }

    /// <summary>The most spikes that ever waited in the outbox (bounded by <c>OutboxSpikes</c>).</summary>
    public int MaxPending { get; init; }

    /// <summary>Batches of spikes enqueued on the destination's stream (loss probes, empty frames, not counted).</summary>
    public long Batches { get; init; }

    /// <summary>Frames enqueued and not yet acknowledged (at most <c>MaxBatchesInFlight</c>, plus one loss probe).</summary>
    public long BatchesInFlight { get; init; }

    /// <summary>The most batches of spikes ever in flight at once (bounded by <c>MaxBatchesInFlight</c>).</summary>
    public long MaxBatchesInFlight { get; init; }

    /// <summary>Times a producer of <see cref="SiloOutbox.SendAsync"/> had to wait for room (agent back-pressure).</summary>
    public long ThrottledSends { get; init; }
}
