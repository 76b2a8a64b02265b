using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Agents;

/// <summary>
/// One neuron as its behaviour sees it: its id, its own <see cref="Fabric.Axon"/> (every spike it fires is published
/// there, and subscribers read it from there), its refractory period, and the payload arena.
/// </summary>
/// <remarks>
/// <para>Each fired spike is stamped with Source = <see cref="Id"/>, a per-source Sequence that grows by one per
/// published spike (a gap downstream therefore means a loss), the clock's tick and timestamp, and Target
/// (<see cref="Spike.BroadcastTarget"/> unless addressed with <see cref="FireTo"/>).</para>
/// <para>Refractory period: after firing in tick t the neuron may still emit more spikes within tick t (one action
/// potential addressed to several targets), then it is silent for <see cref="RefractoryTicks"/> ticks; with 3 it can fire
/// in ticks t, t+4, t+8, ... Attempts in between are refused and counted, never queued: that is the backpressure of a
/// busy agent.</para>
/// <para>The Axon has one writer: fire from the neuron's own behaviour callbacks (or from one outside thread while
/// nothing else drives the neuron). Counters are written by that one writer and read with acquire loads.</para>
/// </remarks>
public sealed class NeuronHandle
{
    private readonly ITickClock _clock;
    private readonly Action? _onPublished;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(byte[] Delta, bool ReplacesEarlier)> _pendingState = new();
    private long _pendingStateBytes;
    private long _stateRefused;
    private int _refractoryTicks;
    private uint _sequence;
    private uint _lastFireTick;
    private bool _hasFired;
    private long _fired;
    private long _refusedRefractory;
    private long _refusedAxonFull;
    private long _refusedArenaFull;
    private long _received;
    private long _wakes;
    private long _faults;

    /// <summary>Creates a handle over a neuron's own Axon.</summary>
    /// <param name="id">The neuron id; <see cref="Spike.BroadcastTarget"/> is reserved.</param>
    /// <param name="axon">The neuron's own ring; this handle becomes its producer.</param>
    /// <param name="clock">Supplies the tick and the timestamp.</param>
    /// <param name="arena">Where payloads over <see cref="Spike.InlinePayloadCapacity"/> bytes go; null when the neuron sends only small payloads.</param>
    /// <param name="refractoryTicks">Ticks of silence after a firing tick (0 or more).</param>
    public NeuronHandle(uint id, Axon axon, ITickClock clock, Arena? arena = null, int refractoryTicks = 0)
        : this(id, axon, clock, arena, refractoryTicks, onPublished: null)
    {
    }

    internal NeuronHandle(uint id, Axon axon, ITickClock clock, Arena? arena, int refractoryTicks, Action? onPublished)
    {
        ArgumentNullException.ThrowIfNull(axon);
        ArgumentNullException.ThrowIfNull(clock);
        if (id == Spike.BroadcastTarget)
        {
            throw new ArgumentOutOfRangeException(nameof(id), $"Neuron id {id} (0x{id:X8}) is the broadcast target and cannot name a neuron.");
        }

        Id = id;
        Axon = axon;
        Arena = arena;
        RefractoryTicks = refractoryTicks;
        _clock = clock;
        _onPublished = onPublished;
    }

    /// <summary>The most bytes of recorded state a neuron may have waiting for its log (1 MiB); more is refused.</summary>
    public const int MaxPendingStateBytes = 1 << 20;

    /// <summary>
    /// Records a delta of the behaviour's state (opaque bytes, copied) for the neuron's delta log: the neuron grain appends
    /// the deltas it finds here shortly after (every 100 ms, on <c>FlushState</c>, and on deactivation), and restores them into
    /// a fresh behaviour through <see cref="IStatefulBehaviour.Restore"/>. With <paramref name="replacesEarlier"/> the delta
    /// stands for the whole state, and the earlier ones are dropped from the neuron's state once it is logged (compaction).
    /// </summary>
    /// <returns>False, counted in <see cref="StateRefused"/>, when the delta would take the bytes waiting past <see cref="MaxPendingStateBytes"/>.</returns>
    public bool RecordState(ReadOnlySpan<byte> delta, bool replacesEarlier = false)
    {
        if (Interlocked.Add(ref _pendingStateBytes, delta.Length) > MaxPendingStateBytes)
        {
            Interlocked.Add(ref _pendingStateBytes, -delta.Length);
            Interlocked.Increment(ref _stateRefused);
            return false;
        }

        _pendingState.Enqueue((delta.ToArray(), replacesEarlier));
        return true;
    }

    /// <summary>State deltas refused because too many bytes were waiting for the log.</summary>
    public long StateRefused => Interlocked.Read(ref _stateRefused);

    /// <summary>The recorded state deltas that wait for the log, oldest first, left in place.</summary>
    internal List<(byte[] Delta, bool ReplacesEarlier)> PeekRecordedState() => [.. _pendingState];

    /// <summary>Takes the recorded state deltas that wait for the log, oldest first.</summary>
    internal List<(byte[] Delta, bool ReplacesEarlier)> TakeRecordedState()
    {
        var taken = new List<(byte[] Delta, bool ReplacesEarlier)>();
        while (_pendingState.TryDequeue(out var entry))
        {
            Interlocked.Add(ref _pendingStateBytes, -entry.Delta.Length);
            taken.Add(entry);
        }

        return taken;
    }

    /// <summary>The neuron id; the Source of every spike this handle fires.</summary>
    public uint Id { get; }

    /// <summary>The neuron's own ring. Subscribers read it; only this handle publishes to it.</summary>
    public Axon Axon { get; }

    /// <summary>The arena for large payloads, or null.</summary>
    public Arena? Arena { get; }

    /// <summary>The current tick of the neuron's clock.</summary>
    public uint Tick => _clock.Tick;

    /// <summary>Ticks of silence after a firing tick.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int RefractoryTicks
    {
        get => Volatile.Read(ref _refractoryTicks);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(RefractoryTicks));
            Volatile.Write(ref _refractoryTicks, value);
        }
    }

    /// <summary>True when a fire attempt in the current tick would be refused as refractory.</summary>
    public bool IsRefractory => IsRefractoryAt(_clock.Tick);

    /// <summary>The Sequence the next published spike will carry.</summary>
    public uint NextSequence => Volatile.Read(ref _sequence);

    /// <summary>Why the latest refused attempt was refused (<see cref="FireRefusal.None"/> after a successful fire).</summary>
    public FireRefusal LastRefusal { get; private set; }

    /// <summary>This neuron's accounting.</summary>
    public NeuronCounters Counters => new(
        Volatile.Read(ref _fired),
        Volatile.Read(ref _refusedRefractory),
        Volatile.Read(ref _refusedAxonFull),
        Volatile.Read(ref _refusedArenaFull),
        Volatile.Read(ref _received),
        Volatile.Read(ref _wakes),
        Volatile.Read(ref _faults));

    /// <summary>Fires a spike to every subscriber (broadcast).</summary>
    /// <param name="payload">Up to 36 bytes travel inline; more go into the <see cref="Arena"/>.</param>
    /// <param name="type">Excitatory, inhibitory or modulatory.</param>
    /// <param name="priority">Higher is more urgent.</param>
    /// <returns>True when the spike was published; false when it was refused (see <see cref="LastRefusal"/>).</returns>
    /// <exception cref="InvalidOperationException">The payload needs an arena and this handle has none.</exception>
    public bool Fire(ReadOnlySpan<byte> payload = default, SpikeType type = SpikeType.Excitatory, byte priority = 0)
        => Emit(Spike.BroadcastTarget, payload, type, priority);

    /// <summary>Fires a spike to every subscriber; the same as <see cref="Fire"/>, named for readability.</summary>
    /// <inheritdoc cref="Fire" path="/param"/>
    /// <returns>True when the spike was published; false when it was refused.</returns>
    public bool Broadcast(ReadOnlySpan<byte> payload = default, SpikeType type = SpikeType.Excitatory, byte priority = 0)
        => Emit(Spike.BroadcastTarget, payload, type, priority);

    /// <summary>Fires a spike addressed to one neuron. A target that does not exist is dropped and counted by the router.</summary>
    /// <param name="target">The target neuron id (not <see cref="Spike.BroadcastTarget"/>; use <see cref="Broadcast"/>).</param>
    /// <param name="payload">Up to 36 bytes travel inline; more go into the <see cref="Arena"/>.</param>
    /// <param name="type">Excitatory, inhibitory or modulatory.</param>
    /// <param name="priority">Higher is more urgent.</param>
    /// <returns>True when the spike was published; false when it was refused.</returns>
    public bool FireTo(uint target, ReadOnlySpan<byte> payload = default, SpikeType type = SpikeType.Excitatory, byte priority = 0)
    {
        if (target == Spike.BroadcastTarget)
        {
            throw new ArgumentOutOfRangeException(nameof(target), "FireTo needs a neuron id; use Broadcast to address every subscriber.");
        }

        return Emit(target, payload, type, priority);
    }

    /// <summary>The payload of a spike: its inline bytes, or its block in this neuron's arena.</summary>
    /// <exception cref="InvalidOperationException">The spike carries an arena payload and this handle has no arena.</exception>
    /// <exception cref="ArenaException">The arena reference is stale or invalid (for example, read after its pass).</exception>
    public ReadOnlySpan<byte> ReadPayload(in Spike spike)
    {
        if (!spike.HasArenaPayload)
        {
            return spike.InlinePayload;
        }

        return (Arena ?? throw new InvalidOperationException($"Spike {spike} carries an arena payload, but neuron {Id} has no arena to read it from.")).GetPayload(in spike);
    }

    /// <summary>
    /// Attaches a new reader to this neuron's Axon: a tap on everything it fires from now on. The caller owns and
    /// disposes it. A tap gates the producer like any reader, so a tap that stops reading makes the neuron's fires
    /// refused as <see cref="FireRefusal.AxonFull"/> once the ring is full.
    /// </summary>
    public AxonReader CreateReader() => Axon.CreateReader();

    /// <inheritdoc />
    public override string ToString() => $"Neuron({Id}, refractory={RefractoryTicks})";

    internal void CountDelivered(int spikes)
    {
        Volatile.Write(ref _received, _received + spikes);
        Volatile.Write(ref _wakes, _wakes + 1);
    }

    internal void CountFault() => Volatile.Write(ref _faults, _faults + 1);

    private bool IsRefractoryAt(uint tick)
        => _hasFired && tick != _lastFireTick && unchecked(tick - _lastFireTick) <= (uint)RefractoryTicks;

    private bool Emit(uint target, ReadOnlySpan<byte> payload, SpikeType type, byte priority)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), $"Unknown spike type {(byte)type}.");
        }

        var tick = _clock.Tick;
        if (IsRefractoryAt(tick))
        {
            return Refuse(ref _refusedRefractory, FireRefusal.Refractory);
        }

        var spike = new Spike
        {
            Timestamp = _clock.Timestamp,
            Tick = tick,
            Sequence = _sequence,
            Source = Id,
            Target = target,
            Type = type,
            Priority = priority,
        };

        var arenaRef = default(ArenaRef);
        if (payload.Length <= Spike.InlinePayloadCapacity)
        {
            spike.SetInlinePayload(payload);
        }
        else if (!TryStoreInArena(payload, out arenaRef))
        {
            return Refuse(ref _refusedArenaFull, FireRefusal.ArenaFull);
        }
        else
        {
            spike.SetArenaRef(arenaRef);
        }

        if (!Axon.TryPublish(in spike, TimeSpan.Zero))
        {
            if (spike.HasArenaPayload)
            {
                Arena!.Release(arenaRef);
            }

            return Refuse(ref _refusedAxonFull, FireRefusal.AxonFull);
        }

        Volatile.Write(ref _sequence, unchecked(_sequence + 1));
        Volatile.Write(ref _fired, _fired + 1);
        _lastFireTick = tick;
        _hasFired = true;
        LastRefusal = FireRefusal.None;
        _onPublished?.Invoke();
        return true;
    }

    private bool TryStoreInArena(ReadOnlySpan<byte> payload, out ArenaRef reference)
    {
        if (Arena is null)
        {
            ThrowNoArena(payload.Length);
        }

        if (!Arena.TryAllocate(payload.Length, out reference))
        {
            return false;
        }

        payload.CopyTo(Arena.GetSpan(reference));
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Refuse(ref long counter, FireRefusal reason)
    {
        Volatile.Write(ref counter, counter + 1);
        LastRefusal = reason;
        return false;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNoArena(int length)
        => throw new InvalidOperationException($"Neuron {Id}: a payload of {length} bytes does not fit inline ({Spike.InlinePayloadCapacity} bytes) and this neuron has no arena.");
}
