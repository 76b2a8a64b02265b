using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NeuroMesh.Cluster;
using NeuroMesh.Fabric;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;

namespace NeuroMesh.Neurons;

/// <summary>
/// The agent mesh's cross-silo path, both ways. Outbound (<see cref="ICortexEgress"/>, on the Cortex loop): a spike from
/// a hosted neuron whose synapse targets a neuron of a region that <see cref="RendezvousHash"/> places on another silo
/// (the same choice <see cref="RegionAffinityPlacement"/> makes) is addressed to that target, marked
/// <see cref="SpikeFlags.Remote"/>, and put into the <see cref="SiloOutbox"/> lane of the target's silo once per pass.
/// Inbound (<see cref="IMeshSpikeConsumer"/>, on the mesh ingress turn): each received spike is injected into the local
/// Cortex for its target, or dropped and counted when the target is not hosted here.
/// </summary>
/// <remarks>
/// <para>No grain call per spike: regions are resolved by the neuron grains once per synapse edit or activation
/// (<see cref="SetRegion"/>, cached; assignments never change), and region → silo is cached per membership version.</para>
/// <para>The loop posts (<see cref="SiloOutbox.Post"/>) rather than awaiting <see cref="SiloOutbox.SendAsync"/>: it runs
/// under the Cortex's pass lock, which grain turns on this silo also take, so waiting on another silo's acknowledgements
/// there would stall this silo's grains. What does not fit is dropped and counted as <c>OutboxFull</c> (see
/// docs/decisions/0014-cortex-posts-across-silos.md).</para>
/// </remarks>
internal sealed class CrossSiloLink : ICortexEgress, IMeshSpikeConsumer
{
    private readonly SiloOutbox _outbox;
    private readonly SiloAddress _local;
    private readonly IClusterMembershipService _membership;
    private readonly Func<uint, bool> _isHosted;
    private readonly Cortex _cortex;
    private readonly ConcurrentDictionary<uint, RegionPath> _regions = new();
    private readonly ConcurrentDictionary<uint, uint[]> _targets = new();
    private readonly ConcurrentDictionary<uint, NeuronLinkCounters> _neurons = new();

    // Loop-thread only.
    private readonly Dictionary<SiloAddress, List<Spike>> _pending = [];
    private readonly Dictionary<RegionPath, SiloAddress> _picks = [];
    private MembershipVersion _picksVersion = MembershipVersion.MinValue;
    private SiloAddress[] _active = [];

    // The outbox's lane counters when this link was made: its counters report the traffic since then (the lanes are
    // shared with any other producer on the silo, such as a warm-up or a benchmark, whose earlier traffic is excluded).
    private readonly Dictionary<SiloAddress, MeshLaneCounters> _baseline;
    private long _sent;
    private long _droppedNoRegion;
    private long _droppedArena;
    private long _droppedClosed;
    private long _droppedSiloLost;
    private long _received;
    private long _injected;
    private long _inboundNotHosted;
    private long _inboundArena;
    private long _inboundClosed;

    public CrossSiloLink(SiloOutbox outbox, SiloAddress local, IClusterMembershipService membership, Cortex cortex, Func<uint, bool> isHosted)
    {
        _outbox = outbox;
        _local = local;
        _membership = membership;
        _cortex = cortex;
        _isHosted = isHosted;
        _baseline = outbox.AllCounters().ToDictionary(c => c.Destination);
    }

    /// <summary>Why the mesh ingress could not be attached, or null.</summary>
    public string? IngressProblem { get; set; }

    /// <summary>True when the region of <paramref name="neuron"/> is known here.</summary>
    public bool KnowsRegion(uint neuron) => _regions.ContainsKey(neuron);

    /// <summary>Records the region of <paramref name="neuron"/> (assignments never change, so it is kept).</summary>
    public void SetRegion(uint neuron, RegionPath region) => _regions[neuron] = region;

    /// <summary>Sets the synapse targets of hosted <paramref name="source"/>; those on other silos are sent to over the mesh.</summary>
    public void SetTargets(uint source, uint[] targets) => _targets[source] = targets;

    /// <summary>Forgets the targets of a source that is no longer hosted.</summary>
    public void Forget(uint source) => _targets.TryRemove(source, out _);

    /// <inheritdoc />
    public int Forward(in Spike spike)
    {
        if (spike.IsBroadcast)
        {
            if (!_targets.TryGetValue(spike.Source, out var targets))
            {
                return 0;
            }

            var taken = 0;
            foreach (var target in targets)
            {
                if (!_isHosted(target))
                {
                    taken += Send(in spike, target);
                }
            }

            return taken;
        }

        // An addressed spike whose target is not in the local mesh: forward it when the target's region lives elsewhere.
        return _regions.ContainsKey(spike.Target) ? Send(in spike, spike.Target) : 0;
    }

    /// <inheritdoc />
    public void EndPass()
    {
        foreach (var (destination, spikes) in _pending)
        {
            if (spikes.Count == 0)
            {
                continue;
            }

            var span = CollectionsMarshal.AsSpan(spikes);
            try
            {
                var taken = _outbox.Post(destination, span);
                foreach (ref readonly var dropped in span[taken..])
                {
                    Counters(dropped.Source).Dropped();
                }
            }
            catch (ObjectDisposedException)
            {
                // The destination left the cluster after this pass chose it (the lane was closed as lost between the
                // pass's membership read and this post): lost with that silo. Otherwise this silo is stopping and its
                // outbox is closed: nothing more can leave.
                Interlocked.Add(ref IsLost(destination) ? ref _droppedSiloLost : ref _droppedClosed, span.Length);
                foreach (ref readonly var dropped in span)
                {
                    Counters(dropped.Source).Dropped();
                }
            }

            spikes.Clear();
        }
    }

    /// <inheritdoc />
    public void Deliver(ulong sender, ReadOnlySpan<Spike> spikes)
    {
        Interlocked.Add(ref _received, spikes.Length);
        foreach (ref readonly var spike in spikes)
        {
            if (spike.HasArenaPayload)
            {
                // An arena reference names a block in the sender's arena; it means nothing here.
                Interlocked.Increment(ref _inboundArena);
            }
            else if (spike.IsBroadcast || !_isHosted(spike.Target))
            {
                Interlocked.Increment(ref _inboundNotHosted);
            }
            else
            {
                try
                {
                    var copy = spike;
                    copy.Flags |= SpikeFlags.Remote;
                    _cortex.Inject(in copy);
                    Interlocked.Increment(ref _injected);
                    Counters(spike.Target).Received();
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref _inboundClosed);
                }
            }
        }
    }

    /// <summary>The cross-silo counters of neuron <paramref name="id"/>: sent, dropped before the outbox, received.</summary>
    public (long Sent, long Dropped, long Received) CountersOf(uint id)
        => _neurons.TryGetValue(id, out var c) ? c.Read() : default;

    /// <summary>A snapshot of the silo's cross-silo accounting.</summary>
    public AgentMeshCounters Snapshot()
    {
        long accepted = 0, inFlight = 0, full = 0, enqueue = 0, closed = 0, lost = 0, siloLost = 0;
        foreach (var lane in _outbox.AllCounters())
        {
            var before = _baseline.GetValueOrDefault(lane.Destination) ?? new MeshLaneCounters { Destination = lane.Destination };
            accepted += lane.Delivered - before.Delivered;
            inFlight += lane.InFlight - before.InFlight;
            full += lane.DroppedOutboxFull - before.DroppedOutboxFull;
            enqueue += lane.DroppedEnqueueFailed - before.DroppedEnqueueFailed;
            closed += lane.DroppedClosed - before.DroppedClosed;
            lost += lane.DroppedLost - before.DroppedLost;
            siloLost += lane.DroppedSiloLost - before.DroppedSiloLost;
        }

        return new AgentMeshCounters
        {
            Silo = _local.ToParsableString(),
            RemoteSent = Interlocked.Read(ref _sent),
            RemoteAccepted = accepted,
            RemoteInFlight = inFlight,
            RemoteDropped = Reasons(
                ("NoRegion", Interlocked.Read(ref _droppedNoRegion)),
                ("ArenaPayload", Interlocked.Read(ref _droppedArena)),
                ("OutboxFull", full),
                ("OutboxClosed", closed + Interlocked.Read(ref _droppedClosed)),
                ("EnqueueFailed", enqueue),
                ("Lost", lost),
                ("SiloLost", siloLost + Interlocked.Read(ref _droppedSiloLost))),
            Received = Interlocked.Read(ref _received),
            Injected = Interlocked.Read(ref _injected),
            InboundDropped = Reasons(
                ("NotHosted", Interlocked.Read(ref _inboundNotHosted)),
                ("ArenaPayload", Interlocked.Read(ref _inboundArena)),
                ("MeshClosed", Interlocked.Read(ref _inboundClosed))),
            IngressProblem = IngressProblem,
        };
    }

    private static ImmutableSortedDictionary<string, long> Reasons(params (string Reason, long Count)[] counts)
        => counts.Where(c => c.Count > 0).ToImmutableSortedDictionary(c => c.Reason, c => c.Count, StringComparer.Ordinal);

    private int Send(in Spike spike, uint target)
    {
        if (!_regions.TryGetValue(target, out var region))
        {
            // A target whose region is unknown here cannot be placed (it was not configured when the synapse was made).
            Interlocked.Increment(ref _sent);
            Interlocked.Increment(ref _droppedNoRegion);
            Counters(spike.Source).SentAndDropped();
            return 0;
        }

        var silo = SiloOf(region);
        if (silo is null || silo.Equals(_local))
        {
            // The target lives on this silo: the local subscriptions reach it if it is hosted; not a remote pair.
            return 0;
        }

        Interlocked.Increment(ref _sent);
        if (spike.HasArenaPayload)
        {
            Interlocked.Increment(ref _droppedArena);
            Counters(spike.Source).SentAndDropped();
            return 0;
        }

        var copy = spike;
        copy.Target = target;
        copy.Flags |= SpikeFlags.Remote;
        if (!_pending.TryGetValue(silo, out var list))
        {
            _pending[silo] = list = [];
        }

        list.Add(copy);
        Counters(spike.Source).Sent();
        return 1;
    }

    private SiloAddress? SiloOf(RegionPath region)
    {
        var snapshot = _membership.CurrentSnapshot;
        if (snapshot.Version != _picksVersion)
        {
            _picks.Clear();
            _active = RendezvousHash.ActiveSilos(snapshot);
            _picksVersion = snapshot.Version;
        }

        if (_active.Length == 0)
        {
            return null;
        }

        if (!_picks.TryGetValue(region, out var silo))
        {
            _picks[region] = silo = RendezvousHash.Pick(region, _active);
        }

        return silo;
    }

    private bool IsLost(SiloAddress destination) => _outbox.Counters(destination).DestinationLost;

    private NeuronLinkCounters Counters(uint id) => _neurons.GetOrAdd(id, static _ => new NeuronLinkCounters());

    private sealed class NeuronLinkCounters
    {
        private long _sent;
        private long _dropped;
        private long _received;

        public void Sent() => Interlocked.Increment(ref _sent);

        public void SentAndDropped()
        {
            Interlocked.Increment(ref _sent);
            Interlocked.Increment(ref _dropped);
        }

        public void Dropped() => Interlocked.Increment(ref _dropped);

        public void Received() => Interlocked.Increment(ref _received);

        public (long, long, long) Read() => (Interlocked.Read(ref _sent), Interlocked.Read(ref _dropped), Interlocked.Read(ref _received));
    }
}
