using System.Collections.Concurrent;
using NeuroMesh.Hosting;
using NeuroMesh.Spikes;

namespace NeuroMesh.Cluster;

/// <summary>
/// The silo's outbound path for free-running (agent) spikes to other silos. Spikes are grouped by destination silo into
/// <see cref="SpikeBatch"/> frames on <see cref="SpikeBatch.MeshChannel"/> (one sequence per destination, CRC32C sealed),
/// flushed when a batch holds <c>MaxBatchSpikes</c> or when its first spike has waited <c>FlushMicros</c>.
/// </summary>
/// <remarks>
/// <para>Memory is bounded per destination: at most <c>OutboxSpikes</c> pending spikes, and at most
/// <c>MaxBatchesInFlight</c> batches enqueued and not yet acknowledged by the destination (so no sender can fill a
/// memory-stream queue to its 16,384-batch limit). When the outbox is full, <see cref="SendAsync"/> waits for room
/// (agent semantics: the producer is throttled) and <see cref="Post"/> drops and counts (simulation semantics).</para>
/// <para>Every spike is accounted for per destination: <c>Sent = Delivered + Dropped + InFlight</c>
/// (<see cref="MeshLaneCounters"/>). Thread-safe: any number of producers.</para>
/// </remarks>
public sealed class SiloOutbox : IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, Lazy<MeshLane>> _lanes = new();
    private readonly ConcurrentDictionary<SiloAddress, byte> _lost = new();
    private readonly IMeshTransport _transport;
    private readonly MeshClusterOptions _options;
    private int _disposed;
    private bool _anyLost; // set before the first entry of _lost, so that sends skip its lookup until a silo is lost

    /// <summary>Creates the outbox of the silo whose mesh sender id is <paramref name="sender"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SiloOutbox(IMeshTransport transport, MeshClusterOptions options, ulong sender)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _transport = transport;
        _options = options;
        Sender = sender;
    }

    /// <summary>The id this silo writes as the sender of its frames (<see cref="MeshSenderId"/>).</summary>
    public ulong Sender { get; }

    /// <summary>
    /// Sends <paramref name="spikes"/> to <paramref name="destination"/>, waiting while its outbox is full (agent
    /// back-pressure). Completes once every spike is in the outbox, not when it is delivered.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting; the spikes not yet taken are not sent (nor counted).</exception>
    /// <exception cref="ObjectDisposedException">The outbox is closed, or <paramref name="destination"/> left the cluster (<see cref="DestinationLost"/>).</exception>
    public ValueTask SendAsync(SiloAddress destination, ReadOnlyMemory<Spike> spikes, CancellationToken cancellationToken = default)
        => Lane(destination).SendAsync(spikes, cancellationToken);

    /// <summary>
    /// Puts as many of <paramref name="spikes"/> as fit in <paramref name="destination"/>'s outbox and drops the rest,
    /// counted as <see cref="MeshLaneCounters.DroppedOutboxFull"/> (simulation semantics: never waits).
    /// </summary>
    /// <returns>How many spikes were taken.</returns>
    /// <exception cref="ObjectDisposedException">The outbox is closed, or <paramref name="destination"/> left the cluster (<see cref="DestinationLost"/>).</exception>
    public int Post(SiloAddress destination, ReadOnlySpan<Spike> spikes) => Lane(destination).Post(spikes);

    /// <summary>The counters of the traffic to <paramref name="destination"/> (all zero if none was sent).</summary>
    public MeshLaneCounters Counters(SiloAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return _lanes.TryGetValue(destination, out var lane) ? lane.Value.Counters() : new MeshLaneCounters { Destination = destination, DestinationLost = _lost.ContainsKey(destination) };
    }

    /// <summary>
    /// <paramref name="destination"/> left the cluster: the spikes not yet acknowledged by it are counted as
    /// <see cref="MeshLaneCounters.DroppedSiloLost"/> and its lane takes no more. A destination this silo never sent to
    /// is remembered as lost, so a producer with a stale view of the cluster is refused too rather than open a lane to a
    /// silo that will never answer. Returns how many were lost.
    /// </summary>
    public long DestinationLost(SiloAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Volatile.Write(ref _anyLost, true);
        _lost.TryAdd(destination, 0);
        return _lanes.TryGetValue(destination, out var lane) ? lane.Value.DestinationLost() : 0;
    }

    /// <summary>The counters of every destination this silo has sent to.</summary>
    public IReadOnlyList<MeshLaneCounters> AllCounters() => [.. _lanes.Values.Select(l => l.Value.Counters())];

    /// <summary>Stops every destination's lane: pending spikes are flushed for up to five seconds, then counted as closed.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, 1);
        await Task.WhenAll(_lanes.Values.Select(l => l.Value.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private MeshLane Lane(SiloAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (IsLost(destination) && !_lanes.ContainsKey(destination))
        {
            throw new ObjectDisposedException(nameof(SiloOutbox), $"silo {destination} left the cluster; nothing more is sent to it");
        }

        var lane = _lanes.GetOrAdd(destination, d => new Lazy<MeshLane>(() => new MeshLane(_transport, d, Sender, _options))).Value;
        if (IsLost(destination))
        {
            // A loss that raced this lane's creation: close it as lost too (once; later calls change nothing).
            lane.DestinationLost();
        }

        return lane;
    }

    private bool IsLost(SiloAddress destination) => Volatile.Read(ref _anyLost) && _lost.ContainsKey(destination);
}
