using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// A single-producer, multi-consumer ring of spikes in the style of the LMAX Disruptor. Slots live in pinned,
/// 64-byte-aligned native memory; capacity is a power of two indexed with a mask. Each reader has its own cursor.
/// </summary>
/// <remarks>
/// <para>Publishing is a slot write followed by a release store of the producer cursor; a batch is many slot writes
/// and one cursor store. Readers acquire-read the cursor, so a slot write is always visible before its sequence is.</para>
/// <para>Exactly one thread may publish at a time (calls may move between threads, as grain turns do). A second
/// concurrent producer is caught by the single-writer guard and its spikes are refused and counted as
/// <see cref="DropReason.WriterConflict"/>; a Debug build throws instead. The Release guard is a plain flag, so it
/// catches overlaps on a best-effort basis rather than all of them: it is a diagnostic, not a lock.</para>
/// <para>Accounting per reader holds exactly: published = consumed + dropped + in flight (see <see cref="AxonReaderCounters"/>).</para>
/// </remarks>
public sealed unsafe class Axon : IDisposable
{
    // On x86/x64 stores become visible in program order, so the Overwrite policy's reader-side check is sufficient;
    // elsewhere the producer fences before it reuses a slot so that the reader's check cannot miss a torn slot.
    private static readonly bool StoresAreOrdered = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    private readonly IRingMemory _memory;
    private readonly Action<Axon>? _onDispose;
    private readonly Lock _readersLock = new();
    private readonly Lock _retireLock = new();
    private readonly List<(RingBlock Block, long RetireAt)> _retiring = [];
    private readonly bool _block;
    private readonly bool _signalParked;
    private readonly bool _fixedHighWater;

    // The producer's copy of the current block (it alone replaces it); readers load _ring once per read instead.
    private Spike* _slots;
    private int _mask;
    private int _capacity;
    private long _highWater;
    private RingBlock _ring;
    private int _retiringCount;
    private long _grows;
    private long _growsRefused;

    private PaddedLong _published;
    private ProducerState _producer;
    private PaddedLong _parked;
    private AxonReader[] _readers = [];
    private int _disposed;

    /// <summary>Creates a ring that owns its native memory.</summary>
    public Axon(AxonOptions? options = null)
        : this(options ?? new AxonOptions(), OwnedRingMemory.Instance, onDispose: null)
    {
    }

    /// <summary>
    /// Creates a ring whose slots come from <paramref name="memory"/> (a <see cref="SpikeFabric"/>'s ring pool, or its own
    /// native memory). A ring with <see cref="AxonOptions.MaxCapacity"/> above its capacity grows there on demand.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="memory"/> has no room for the initial block.</exception>
    internal Axon(AxonOptions options, IRingMemory memory, Action<Axon>? onDispose)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(memory);
        options.Validate();
        Options = options;
        _memory = memory;
        _block = options.Overflow == OverflowPolicy.Block;
        _signalParked = options.WaitStrategy == WaitStrategy.YieldThenPark;
        _fixedHighWater = options.HighWaterMark != 0;
        _highWater = options.EffectiveHighWaterMark;
        _ring = memory.TryLease(options.Capacity) ?? throw new InvalidOperationException($"No room for a ring of {options.Capacity} slots.");
        if (((nint)_ring.Slots & (CacheLine.Alignment - 1)) != 0)
        {
            memory.Return(_ring);
            ThrowHelper.Argument(nameof(memory), "Axon slots must be 64-byte aligned.");
        }

        _slots = _ring.Slots;
        _mask = _ring.Mask;
        _capacity = _ring.Capacity;
        _onDispose = onDispose;
        _producer.GateLimit = _block ? _highWater : long.MaxValue;
    }

    /// <summary>The ring's configuration.</summary>
    public AxonOptions Options { get; }

    /// <summary>Number of slots now (a growable ring doubles it on demand up to <see cref="AxonOptions.MaxCapacity"/>).</summary>
    public int Capacity => Volatile.Read(ref _capacity);

    /// <summary>Times this ring grew into a larger block.</summary>
    public long Grows => Volatile.Read(ref _grows);

    /// <summary>Times this ring was full and could not grow because its memory had no larger block free (it then waited as a fixed ring does).</summary>
    public long GrowsRefused => Volatile.Read(ref _growsRefused);

    /// <summary>Bytes of slot memory this ring holds now: its block, plus old blocks a reader may still be in.</summary>
    public long LeasedBytes
    {
        get
        {
            lock (_retireLock)
            {
                return Volatile.Read(ref _ring).Bytes + _retiring.Sum(r => r.Block.Bytes);
            }
        }
    }

    /// <summary>Total spikes published so far; also the sequence the next spike will get. Acquire read.</summary>
    public long Published => Volatile.Read(ref _published.Value);

    /// <summary>Readers attached now.</summary>
    public int ReaderCount => Volatile.Read(ref _readers).Length;

    /// <summary>Address of the first slot (diagnostics and layout tests).</summary>
    internal nint SlotsAddress => (nint)Ring.Slots;

    /// <summary>The current block; a reader loads it once per read, after acquiring the producer cursor.</summary>
    internal RingBlock Ring => Volatile.Read(ref _ring);

    /// <summary>True while old blocks wait for the readers to leave them (see <see cref="ReclaimRetired"/>).</summary>
    internal bool HasRetiredBlocks => Volatile.Read(ref _retiringCount) != 0;

    internal bool Overwrites => !_block;

    internal ref long PublishedCursor => ref _published.Value;

    internal ref long ParkedCount => ref _parked.Value;

    internal object ParkGate { get; } = new();

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The producer-side counters.</summary>
    public AxonCounters Counters => new(
        Published,
        Volatile.Read(ref _producer.RejectedTimeout),
        Volatile.Read(ref _producer.RejectedCancelled),
        Volatile.Read(ref _producer.WriterConflicts),
        Volatile.Read(ref _producer.HighWaterHits),
        ReaderCount);

    /// <summary>
    /// Publishes one spike. Under the Block policy it waits up to <see cref="AxonOptions.PublishTimeout"/> for room.
    /// </summary>
    /// <exception cref="AxonFullException">Block policy: no room within the timeout; the spike was not published.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(in Spike spike)
    {
        if (!EnterWriter(1))
        {
            return;
        }

        var sequence = _published.Value;
        if (sequence >= _producer.GateLimit && WaitForRoom(sequence, Deadline(Options.PublishTimeout), default) <= 0)
        {
            RefuseAfterWait(1, 0, Options.PublishTimeout, default, throwOnTimeout: true);
            return;
        }

        WriteSlot(sequence, in spike);
        Volatile.Write(ref _published.Value, sequence + 1);
        ExitWriter();
        if (_signalParked)
        {
            WakeParkedReaders();
        }
    }

    /// <summary>Publishes one spike, waiting at most <paramref name="timeout"/> for room under the Block policy.</summary>
    /// <returns>False when the spike was refused (timeout, or a writer conflict); it is counted with its reason.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled; the spike was not published.</exception>
    public bool TryPublish(in Spike spike, TimeSpan timeout, CancellationToken cancellationToken = default)
        => TryPublishBatch(new ReadOnlySpan<Spike>(in spike), timeout, cancellationToken) == 1;

    /// <summary>Publishes a batch with one cursor store per contiguous run (one per batch while the batch fits).</summary>
    /// <exception cref="AxonFullException">Block policy: the rest of the batch found no room within the timeout.</exception>
    public void PublishBatch(ReadOnlySpan<Spike> spikes) => PublishBatchCore(spikes, Options.PublishTimeout, default, throwOnTimeout: true);

    /// <summary>Publishes as much of a batch as finds room within <paramref name="timeout"/>; the rest is refused and counted.</summary>
    /// <returns>How many spikes, from the start of the batch, were published.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled; the spikes not yet published were refused.</exception>
    public int TryPublishBatch(ReadOnlySpan<Spike> spikes, TimeSpan timeout, CancellationToken cancellationToken = default)
        => PublishBatchCore(spikes, timeout, cancellationToken, throwOnTimeout: false);

    /// <summary>Attaches a reader that starts at the next spike to be published.</summary>
    /// <remarks>The reader is added to the gating set before its start is read, so a Block-policy producer can never lap it.</remarks>
    public AxonReader CreateReader()
    {
        lock (_readersLock)
        {
            ThrowIfDisposed();
            var reader = new AxonReader(this, Published);
            Volatile.Write(ref _readers, [.. _readers, reader]);
            Interlocked.MemoryBarrier();
            reader.MoveStart(Published);
            return reader;
        }
    }

    /// <summary>Attaches a reader positioned at <paramref name="sequence"/> (used by <see cref="AxonReader.Clone"/>).</summary>
    internal AxonReader AttachAt(long sequence)
    {
        lock (_readersLock)
        {
            ThrowIfDisposed();
            var reader = new AxonReader(this, sequence);
            Volatile.Write(ref _readers, [.. _readers, reader]);
            return reader;
        }
    }

    internal void Detach(AxonReader reader)
    {
        lock (_readersLock)
        {
            var readers = _readers;
            var index = Array.IndexOf(readers, reader);
            if (index >= 0)
            {
                Volatile.Write(ref _readers, [.. readers.AsSpan(0, index), .. readers.AsSpan(index + 1)]);
            }
        }
    }

    /// <summary>Detaches every reader and frees the ring's memory. Stop the producer and the readers first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var reader in Volatile.Read(ref _readers))
        {
            reader.Dispose();
        }

        lock (ParkGate)
        {
            Monitor.PulseAll(ParkGate);
        }

        lock (_retireLock)
        {
            foreach (var (block, _) in _retiring)
            {
                _memory.Return(block);
            }

            _retiring.Clear();
            Volatile.Write(ref _retiringCount, 0);
            _memory.Return(_ring);
        }

        _onDispose?.Invoke(this);
    }

    /// <summary>
    /// Gives back the old blocks of a grown ring that no reader can still be in: every attached reader's cursor has passed
    /// the sequence at which the ring grew. A reader loads the block after acquiring the producer cursor, so once its cursor
    /// is past that sequence it can only load the new block. Called by the router between passes and by the producer.
    /// </summary>
    internal void ReclaimRetired()
    {
        lock (_retireLock)
        {
            if (_retiring.Count == 0 || IsDisposed)
            {
                return;
            }

            var slowest = Published;
            foreach (var reader in Volatile.Read(ref _readers))
            {
                slowest = Math.Min(slowest, reader.Cursor);
            }

            for (var i = _retiring.Count - 1; i >= 0; i--)
            {
                if (_retiring[i].RetireAt <= slowest)
                {
                    _memory.Return(_retiring[i].Block);
                    _retiring.RemoveAt(i);
                }
            }

            Volatile.Write(ref _retiringCount, _retiring.Count);
        }
    }

    private int PublishBatchCore(ReadOnlySpan<Spike> spikes, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnTimeout)
    {
        if (spikes.IsEmpty || !EnterWriter(spikes.Length))
        {
            return 0;
        }

        var deadline = 0L;
        var done = 0;
        while (done < spikes.Length)
        {
            var sequence = _published.Value;
            var room = _producer.GateLimit - sequence;
            if (room <= 0)
            {
                if (deadline == 0)
                {
                    deadline = Deadline(timeout);
                }

                room = WaitForRoom(sequence, deadline, cancellationToken);
                if (room <= 0)
                {
                    RefuseAfterWait(spikes.Length - done, done, timeout, cancellationToken, throwOnTimeout);
                    return done;
                }
            }

            var count = (int)Math.Min(Math.Min(room, _capacity), spikes.Length - done);
            WriteSlots(sequence, spikes.Slice(done, count));
            Volatile.Write(ref _published.Value, sequence + count);
            done += count;

            // Wake parked readers after every run, not once per batch: if the next run has to wait for room, the
            // readers that would make that room must not still be asleep.
            if (_signalParked)
            {
                WakeParkedReaders();
            }
        }

        ExitWriter();
        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteSlot(long sequence, in Spike spike)
    {
        if (!_block && !StoresAreOrdered && sequence >= _capacity)
        {
            Interlocked.MemoryBarrier();
        }

        _slots[sequence & _mask] = spike;
    }

    private void WriteSlots(long sequence, ReadOnlySpan<Spike> spikes)
    {
        if (!_block && !StoresAreOrdered && sequence >= _capacity)
        {
            Interlocked.MemoryBarrier();
        }

        var index = (int)(sequence & _mask);
        var first = Math.Min(spikes.Length, _capacity - index);
        spikes[..first].CopyTo(new Span<Spike>(_slots + index, first));
        spikes[first..].CopyTo(new Span<Spike>(_slots, spikes.Length - first));
    }

    /// <summary>Waits until the slowest reader leaves room; returns the room (> 0), 0 on timeout, -1 on cancellation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long WaitForRoom(long sequence, long deadline, CancellationToken cancellationToken)
    {
        var room = RefreshGate(sequence) - sequence;
        if (room > 0)
        {
            return room;
        }

        if (_capacity < Options.EffectiveMaxCapacity && TryGrow(sequence))
        {
            room = RefreshGate(sequence) - sequence;
            if (room > 0)
            {
                return room;
            }
        }

        _producer.HighWaterHits++;
        var spinner = default(SpinWait);
        for (var iteration = 0; ; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return -1;
            }

            if (Stopwatch.GetTimestamp() >= deadline || IsDisposed)
            {
                return 0;
            }

            // Spin and yield first (readers usually free room within microseconds), then sleep so that a
            // producer stuck behind a stalled reader does not burn a core.
            if (iteration < 4096)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            else
            {
                Thread.Sleep(1);
            }

            room = RefreshGate(sequence) - sequence;
            if (room > 0)
            {
                return room;
            }
        }
    }

    /// <summary>
    /// Block policy, producer only: moves the ring into a block twice the size. The spikes no reader has consumed yet are
    /// copied to the same sequences in the new block before it is published, so a reader that still holds the old block
    /// and one that loads the new block read the same spikes; the old block is given back by <see cref="ReclaimRetired"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGrow(long sequence)
    {
        var grown = _memory.TryLease(_capacity * 2);
        if (grown is null)
        {
            Volatile.Write(ref _growsRefused, _growsRefused + 1);
            return false;
        }

        var old = _ring;
        var slowest = sequence;
        foreach (var reader in Volatile.Read(ref _readers))
        {
            slowest = Math.Min(slowest, reader.Cursor);
        }

        for (var s = slowest; s < sequence; s++)
        {
            grown.Slots[s & grown.Mask] = old.Slots[s & old.Mask];
        }

        _slots = grown.Slots;
        _mask = grown.Mask;
        _capacity = grown.Capacity;
        if (!_fixedHighWater)
        {
            _highWater = grown.Capacity;
        }

        Volatile.Write(ref _ring, grown);
        lock (_retireLock)
        {
            _retiring.Add((old, sequence));
            Volatile.Write(ref _retiringCount, _retiring.Count);
        }

        Volatile.Write(ref _grows, _grows + 1);
        return true;
    }

    private long RefreshGate(long sequence)
    {
        if (Volatile.Read(ref _retiringCount) != 0)
        {
            ReclaimRetired();
        }

        var slowest = sequence;
        foreach (var reader in Volatile.Read(ref _readers))
        {
            slowest = Math.Min(slowest, reader.Cursor);
        }

        var limit = slowest + _highWater;
        _producer.GateLimit = limit;
        return limit;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RefuseAfterWait(int refused, int published, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnTimeout)
    {
        ExitWriter();
        if (cancellationToken.IsCancellationRequested)
        {
            Volatile.Write(ref _producer.RejectedCancelled, _producer.RejectedCancelled + refused);
            cancellationToken.ThrowIfCancellationRequested();
        }

        Volatile.Write(ref _producer.RejectedTimeout, _producer.RejectedTimeout + refused);
        if (throwOnTimeout)
        {
            throw new AxonFullException(published, refused, timeout);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool EnterWriter(int spikes)
    {
#if DEBUG
        if (Interlocked.Exchange(ref _producer.WriterActive, 1) != 0)
        {
            Interlocked.Add(ref _producer.WriterConflicts, spikes);
            ThrowHelper.InvalidOperation("Single-writer guard: a second producer entered this Axon while another was publishing. Give each producer its own Axon.");
        }
#else
        if (Volatile.Read(ref _producer.WriterActive) != 0)
        {
            Interlocked.Add(ref _producer.WriterConflicts, spikes);
            return false;
        }

        Volatile.Write(ref _producer.WriterActive, 1);
#endif
        if (IsDisposed)
        {
            Volatile.Write(ref _producer.WriterActive, 0);
            ThrowHelper.ObjectDisposed(nameof(Axon));
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExitWriter() => Volatile.Write(ref _producer.WriterActive, 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeParkedReaders()
    {
        // Dekker pairing with AxonReader.Park: the cursor store above and this read of the parked count are
        // separated by a full fence, as are the reader's increment and its cursor re-check.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _parked.Value) != 0)
        {
            lock (ParkGate)
            {
                Monitor.PulseAll(ParkGate);
            }
        }
    }

    private static long Deadline(TimeSpan timeout)
        => timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    private void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            ThrowHelper.ObjectDisposed(nameof(Axon));
        }
    }
}
