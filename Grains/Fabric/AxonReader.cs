using System.Diagnostics;
using System.Runtime.CompilerServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// One consumer of an <see cref="Axon"/>, with its own cursor. Every reader sees every spike published after it
/// attached (fan-out). A reader is driven by one thread at a time.
/// </summary>
/// <remarks>
/// The cursor is released (release store) only after the slots it covers have been copied or handled, so a
/// Block-policy producer never reuses a slot a reader still holds. Under the Overwrite policy the producer does not
/// wait; after copying, the reader fences and re-reads the producer cursor, and any slot the producer may have
/// started to reuse is discarded and counted as <see cref="DropReason.Overwritten"/>, never delivered torn.
/// </remarks>
public sealed unsafe class AxonReader : IDisposable
{
    private const int Idle = 0;
    private const int OverwriteChunk = 64;
    private const int ParkSliceMilliseconds = 100;

    private readonly Axon _axon;
    private PaddedLong _cursor;
    private long _start;
    private long _claimedEnd;
    private int _phase;
    private long _consumed;
    private long _droppedOverwritten;
    private long _droppedDetached;
    private long _end = -1;

    internal AxonReader(Axon axon, long start)
    {
        _axon = axon;
        _start = start;
        _cursor.Value = start;
    }

    /// <summary>The ring this reader consumes.</summary>
    public Axon Axon => _axon;

    /// <summary>The next sequence this reader will read. Acquire read.</summary>
    public long Cursor => Volatile.Read(ref _cursor.Value);

    /// <summary>Spikes published and not yet read (under Overwrite this may exceed the capacity; the excess is lost).</summary>
    public long Available => IsDetached ? 0 : _axon.Published - Cursor;

    /// <summary>True once the reader was disposed or its ring was.</summary>
    public bool IsDetached => Volatile.Read(ref _end) >= 0;

    /// <summary>This reader's accounting; exact when the producer and this reader are quiet.</summary>
    public AxonReaderCounters Counters
    {
        get
        {
            var end = Volatile.Read(ref _end);
            var published = end >= 0 ? end : _axon.Published;
            var cursor = Cursor;
            return new AxonReaderCounters(
                published - Volatile.Read(ref _start),
                Volatile.Read(ref _consumed),
                Volatile.Read(ref _droppedOverwritten),
                Volatile.Read(ref _droppedDetached),
                end >= 0 ? 0 : published - cursor);
        }
    }

    /// <summary>Reads the next spike if there is one; never blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out Spike spike)
    {
        ThrowIfDetached();
        var cursor = _cursor.Value;
        var published = Volatile.Read(ref _axon.PublishedCursor);
        if (cursor >= published)
        {
            spike = default;
            return false;
        }

        if (_axon.Overwrites)
        {
            return TryReadOverwritten(cursor, published, out spike);
        }

        var ring = _axon.Ring;
        spike = ring.Slots[cursor & ring.Mask];
        Volatile.Write(ref _consumed, _consumed + 1);
        Volatile.Write(ref _cursor.Value, cursor + 1);
        return true;
    }

    /// <summary>Copies up to <c>destination.Length</c> spikes out of the ring with one cursor store; never blocks.</summary>
    /// <returns>How many spikes were copied to the start of <paramref name="destination"/>.</returns>
    public int Drain(Span<Spike> destination)
    {
        ThrowIfDetached();
        if (_axon.Overwrites)
        {
            return DrainOverwritten(destination);
        }

        var cursor = _cursor.Value;
        var count = (int)Math.Min(Volatile.Read(ref _axon.PublishedCursor) - cursor, destination.Length);
        if (count <= 0)
        {
            return 0;
        }

        BeginClaim(cursor + count);
        CopyOut(cursor, destination[..count]);
        Volatile.Write(ref _phase, (int)SlotState.Feedback);
        Volatile.Write(ref _consumed, _consumed + count);
        Release(cursor + count);
        return count;
    }

    /// <summary>
    /// Hands up to <paramref name="maxCount"/> available spikes to <paramref name="handler"/>, then calls its
    /// <see cref="ISpikeHandler.OnBatchEnd"/> once, then releases the slots with one cursor store. Never blocks.
    /// Under the Block policy the handler reads the slots in place (zero copy).
    /// </summary>
    /// <remarks>If the handler throws, the spikes up to and including the one that threw count as consumed, and the rest stay available.</remarks>
    public int Drain<THandler>(ref THandler handler, int maxCount = int.MaxValue)
        where THandler : struct, ISpikeHandler
    {
        ThrowIfDetached();
        if (_axon.Overwrites)
        {
            return DrainOverwritten(ref handler, maxCount);
        }

        var cursor = _cursor.Value;
        var count = (int)Math.Min(Volatile.Read(ref _axon.PublishedCursor) - cursor, maxCount);
        if (count <= 0)
        {
            return 0;
        }

        BeginClaim(cursor + count);
        var ring = _axon.Ring;
        var slots = ring.Slots;
        var mask = ring.Mask;
        var handled = 0;
        try
        {
            for (; handled < count; handled++)
            {
                var sequence = cursor + handled;
                handler.OnSpike(in slots[sequence & mask], sequence);
            }

            Volatile.Write(ref _phase, (int)SlotState.Feedback);
            handler.OnBatchEnd(cursor, count);
        }
        finally
        {
            var done = Math.Min(handled + 1, count);
            Volatile.Write(ref _consumed, _consumed + done);
            Release(cursor + done);
        }

        return count;
    }

    /// <summary>
    /// Waits until at least one spike is available, using the ring's <see cref="WaitStrategy"/>.
    /// </summary>
    /// <returns>True when a spike is available; false when the timeout passed or the reader was detached.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public bool WaitFor(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Available > 0)
        {
            return true;
        }

        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var strategy = _axon.Options.WaitStrategy;
        var spinner = default(SpinWait);
        for (var i = 0; ; i++)
        {
            if (Available > 0)
            {
                return true;
            }

            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (IsDetached || Stopwatch.GetTimestamp() >= deadline)
                {
                    return false;
                }
            }

            switch (strategy)
            {
                case WaitStrategy.BusySpin:
                    Thread.SpinWait(1);
                    break;
                case WaitStrategy.SpinWait:
                    spinner.SpinOnce(sleep1Threshold: -1);
                    break;
                default:
                    if (i < 200)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }
                    else
                    {
                        return Park(deadline, cancellationToken);
                    }

                    break;
            }
        }
    }

    /// <summary>Attaches a new reader to the same ring, starting at this reader's position.</summary>
    public AxonReader Clone()
    {
        ThrowIfDetached();
        return _axon.AttachAt(Cursor);
    }

    /// <summary>This reader's view of the slot that holds <paramref name="sequence"/>.</summary>
    public SlotState GetSlotState(long sequence)
    {
        var published = _axon.Published;
        if (IsDetached || sequence >= published || sequence < Cursor || (_axon.Overwrites && sequence < published - _axon.Capacity))
        {
            return SlotState.Free;
        }

        var phase = Volatile.Read(ref _phase);
        return phase != Idle && sequence < Volatile.Read(ref _claimedEnd) ? (SlotState)phase : SlotState.Ready;
    }

    /// <summary>Detaches from the ring. Spikes still in flight for this reader are counted as dropped (<see cref="DropReason.Detached"/>).</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _end, long.MaxValue, -1) != -1)
        {
            return;
        }

        _axon.Detach(this);
        var published = _axon.Published;
        var cursor = _cursor.Value;
        var lost = published - cursor;
        var overwritten = _axon.Overwrites ? Math.Max(0, lost - _axon.Capacity) : 0;
        Volatile.Write(ref _droppedOverwritten, _droppedOverwritten + overwritten);
        Volatile.Write(ref _droppedDetached, _droppedDetached + lost - overwritten);
        Volatile.Write(ref _cursor.Value, published);
        Volatile.Write(ref _end, published);
    }

    internal void MoveStart(long start)
    {
        Volatile.Write(ref _start, start);
        Volatile.Write(ref _cursor.Value, start);
    }

    private bool Park(long deadline, CancellationToken cancellationToken)
    {
        var gate = _axon.ParkGate;
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static g => { lock (g!) { Monitor.PulseAll(g); } }, gate)
            : default;
        lock (gate)
        {
            Interlocked.Increment(ref _axon.ParkedCount);
            try
            {
                while (true)
                {
                    // The increment above is a full fence, so either the producer sees us parked, or we see its cursor.
                    if (Available > 0)
                    {
                        return true;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    var remaining = deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Min(int.MaxValue, (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
                    if (IsDetached || (remaining != Timeout.Infinite && remaining <= 0))
                    {
                        return false;
                    }

                    // Sleep in bounded slices: a publish or a cancellation pulses the gate, and the slice bounds the
                    // delay should a wake-up ever be missed (a full-suite run once hung here with no slice).
                    Monitor.Wait(gate, remaining == Timeout.Infinite ? ParkSliceMilliseconds : Math.Min(remaining, ParkSliceMilliseconds));
                }
            }
            finally
            {
                Interlocked.Decrement(ref _axon.ParkedCount);
            }
        }
    }

    private bool TryReadOverwritten(long cursor, long published, out Spike spike)
    {
        while (cursor < published)
        {
            cursor = SkipLapped(cursor, published);
            var ring = _axon.Ring;
            var copy = ring.Slots[cursor & ring.Mask];
            Interlocked.MemoryBarrier();
            published = Volatile.Read(ref _axon.PublishedCursor);
            if (published - cursor < _axon.Capacity)
            {
                spike = copy;
                Volatile.Write(ref _consumed, _consumed + 1);
                Volatile.Write(ref _cursor.Value, cursor + 1);
                return true;
            }

            // The producer may have started to reuse the slot while we copied it: drop it rather than deliver it torn.
            Volatile.Write(ref _droppedOverwritten, _droppedOverwritten + 1);
            Volatile.Write(ref _cursor.Value, ++cursor);
        }

        spike = default;
        return false;
    }

    private int DrainOverwritten(Span<Spike> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var got = DrainOverwrittenChunk(destination[total..]);
            if (got == 0)
            {
                break;
            }

            total += got;
        }

        return total;
    }

    private int DrainOverwritten<THandler>(ref THandler handler, int maxCount)
        where THandler : struct, ISpikeHandler
    {
        Span<Spike> buffer = stackalloc Spike[OverwriteChunk];
        var total = 0;
        var first = -1L;
        while (total < maxCount)
        {
            var got = DrainOverwrittenChunk(buffer[..Math.Min(OverwriteChunk, maxCount - total)]);
            if (got == 0)
            {
                break;
            }

            var firstOfChunk = Cursor - got;
            first = first < 0 ? firstOfChunk : first;
            for (var i = 0; i < got; i++)
            {
                handler.OnSpike(in buffer[i], firstOfChunk + i);
            }

            total += got;
        }

        if (total > 0)
        {
            handler.OnBatchEnd(first, total);
        }

        return total;
    }

    /// <summary>Copies one validated chunk; returns the number of spikes delivered into <paramref name="destination"/>.</summary>
    private int DrainOverwrittenChunk(Span<Spike> destination)
    {
        var cursor = _cursor.Value;
        var published = Volatile.Read(ref _axon.PublishedCursor);
        while (cursor < published)
        {
            cursor = SkipLapped(cursor, published);
            var count = (int)Math.Min(Math.Min(published - cursor, destination.Length), _axon.Capacity);
            BeginClaim(cursor + count);
            CopyOut(cursor, destination[..count]);
            Interlocked.MemoryBarrier();
            published = Volatile.Read(ref _axon.PublishedCursor);

            // Slots with sequence <= published - capacity may have been reused while we copied them.
            var firstSafe = published - _axon.Capacity + 1;
            var torn = (int)Math.Clamp(firstSafe - cursor, 0, count);
            if (torn > 0)
            {
                destination[torn..count].CopyTo(destination);
                Volatile.Write(ref _droppedOverwritten, _droppedOverwritten + torn);
            }

            var delivered = count - torn;
            Volatile.Write(ref _phase, (int)SlotState.Feedback);
            Volatile.Write(ref _consumed, _consumed + delivered);
            Release(cursor + count);
            cursor += count;
            if (delivered > 0)
            {
                return delivered;
            }
        }

        return 0;
    }

    private long SkipLapped(long cursor, long published)
    {
        // The slot of (published - capacity) may be under the producer's pen right now, so the oldest readable
        // sequence is published - capacity + 1.
        var oldest = published - _axon.Capacity + 1;
        if (cursor < oldest)
        {
            Volatile.Write(ref _droppedOverwritten, _droppedOverwritten + (oldest - cursor));
            Volatile.Write(ref _cursor.Value, oldest);
            return oldest;
        }

        return cursor;
    }

    private void CopyOut(long cursor, Span<Spike> destination)
    {
        // One load of the block: its pointer, mask and size belong together even while the ring grows.
        var ring = _axon.Ring;
        var index = (int)(cursor & ring.Mask);
        var first = Math.Min(destination.Length, ring.Capacity - index);
        new ReadOnlySpan<Spike>(ring.Slots + index, first).CopyTo(destination);
        new ReadOnlySpan<Spike>(ring.Slots, destination.Length - first).CopyTo(destination[first..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BeginClaim(long claimedEnd)
    {
        Volatile.Write(ref _claimedEnd, claimedEnd);
        Volatile.Write(ref _phase, (int)SlotState.Consuming);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Release(long cursor)
    {
        Volatile.Write(ref _cursor.Value, cursor);
        Volatile.Write(ref _phase, Idle);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfDetached()
    {
        if (Volatile.Read(ref _end) >= 0)
        {
            ThrowHelper.ObjectDisposed(nameof(AxonReader));
        }
    }
}
