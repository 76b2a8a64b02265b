using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// A silo's fast-path memory: one pinned, 64-byte-aligned native arena laid out by a <see cref="FabricLayout"/>,
/// which it carves into a pool of leased rings (<see cref="RingPool"/>: every power-of-two size from
/// <see cref="FabricLayout.MinRingCapacity"/> to <see cref="FabricLayout.RingCapacity"/> slots), a payload
/// <see cref="Arena"/> and a state area.
/// </summary>
/// <remarks>
/// Agents lease growable rings (<see cref="LeaseGrowableAxon"/>): each starts at the smallest size and doubles, from the
/// same pool, only when its producer finds it full, so an idle agent holds <see cref="FabricLayout.MinRingBytes"/> of
/// the fabric. Every byte leased comes back when the ring is disposed (<see cref="LeasedRingBytes"/> returns to zero).
/// </remarks>
public sealed unsafe class SpikeFabric : IDisposable
{
    private readonly NativeBlock _memory;
    private readonly Lock _ringsLock = new();
    private readonly HashSet<Axon> _rings = [];
    private readonly RingPool _pool;
    private long _retiredHighWaterHits;
    private long _retiredGrows;
    private long _retiredGrowsRefused;

    /// <summary>Allocates the arena and lays it out.</summary>
    public SpikeFabric(FabricLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
        _memory = new NativeBlock(layout.TotalBytes, CacheLine.Alignment);
        _pool = new RingPool(_memory.Pointer + layout.RingsOffset, layout.RingCount, layout.MinRingCapacity, layout.RingCapacity);
        Payloads = Arena.Over(_memory.Pointer + layout.PayloadOffset, layout.PayloadBytes);
    }

    /// <summary>Where everything lives.</summary>
    public FabricLayout Layout { get; }

    /// <summary>The arena for payloads that do not fit inline.</summary>
    public Arena Payloads { get; }

    /// <summary>The state area, for structure-of-arrays neuron state.</summary>
    public Span<byte> State => Layout.StateBytes == 0 ? [] : new Span<byte>(_memory.Pointer + Layout.StateOffset, checked((int)Layout.StateBytes));

    /// <summary>Rings leased now.</summary>
    public int LeasedRings
    {
        get
        {
            lock (_ringsLock)
            {
                return _rings.Count;
            }
        }
    }

    /// <summary>Bytes of the ring pool leased now (current blocks, plus old blocks of grown rings not yet given back).</summary>
    public long LeasedRingBytes => _pool.LeasedBytes;

    /// <summary>Blocks of the ring pool leased now (one per ring, plus old blocks of grown rings not yet given back).</summary>
    public long LeasedRingBlocks => _pool.LeasedBlocks;

    /// <summary>The most ring-pool bytes leased at once over the fabric's life.</summary>
    public long PeakLeasedRingBytes => _pool.PeakLeasedBytes;

    /// <summary>Full-size blocks of the ring pool that are whole and free (all of them, <see cref="FabricLayout.RingCount"/>, once every ring is back).</summary>
    public int WholeFreeRingBlocks => _pool.WholeFreeBlocks;

    /// <summary>Smallest rings that could still be leased now: how many more idle agents fit.</summary>
    public long FreeSmallRings => _pool.CountFree(Layout.MinRingCapacity);

    /// <summary>Times any ring's producer reached the high-water mark, over the fabric's life (rings returned since included). Takes the rings lock: for telemetry, not the fast path.</summary>
    public long HighWaterHits
    {
        get
        {
            lock (_ringsLock)
            {
                return _retiredHighWaterHits + _rings.Sum(r => r.Counters.HighWaterHits);
            }
        }
    }

    /// <summary>Times a ring grew into a larger block, over the fabric's life.</summary>
    public long RingGrows
    {
        get
        {
            lock (_ringsLock)
            {
                return _retiredGrows + _rings.Sum(r => r.Grows);
            }
        }
    }

    /// <summary>Times a full ring could not grow because the pool had no larger block free, over the fabric's life.</summary>
    public long RingGrowsRefused
    {
        get
        {
            lock (_ringsLock)
            {
                return _retiredGrowsRefused + _rings.Sum(r => r.GrowsRefused);
            }
        }
    }

    /// <summary>Leases a full-size ring (<see cref="FabricLayout.RingCapacity"/> slots). Disposing the returned <see cref="Axon"/> returns the ring to the fabric.</summary>
    /// <param name="overflow">The ring's overflow policy.</param>
    /// <param name="waitStrategy">How its readers wait.</param>
    /// <exception cref="FabricFullException">The pool has no full-size block free; the message says how much is leased.</exception>
    public Axon LeaseAxon(OverflowPolicy overflow = OverflowPolicy.Overwrite, WaitStrategy waitStrategy = WaitStrategy.YieldThenPark)
        => Lease(new AxonOptions { Capacity = Layout.RingCapacity, Overflow = overflow, WaitStrategy = waitStrategy });

    /// <summary>
    /// Leases a Block-policy ring sized by its traffic: it starts at <see cref="FabricLayout.MinRingCapacity"/> slots and
    /// doubles, from this fabric's pool, whenever its producer finds it full, up to <see cref="FabricLayout.RingCapacity"/>.
    /// When the pool has no larger block the ring waits or refuses like a fixed ring (counted in <see cref="RingGrowsRefused"/>).
    /// </summary>
    /// <exception cref="FabricFullException">The pool has no smallest block free; the message says how much is leased.</exception>
    public Axon LeaseGrowableAxon(WaitStrategy waitStrategy = WaitStrategy.YieldThenPark)
        => Lease(new AxonOptions { Capacity = Layout.MinRingCapacity, MaxCapacity = Layout.RingCapacity, Overflow = OverflowPolicy.Block, WaitStrategy = waitStrategy });

    /// <summary>Frees the arena. Every leased ring must be disposed (and idle) first.</summary>
    public void Dispose()
    {
        lock (_ringsLock)
        {
            foreach (var ring in _rings.ToArray())
            {
                ring.Dispose();
            }
        }

        Payloads.Dispose();
        _memory.Dispose();
    }

    private Axon Lease(AxonOptions options)
    {
        options.Validate();
        lock (_ringsLock)
        {
            if (_pool.CountFree(options.Capacity) == 0)
            {
                throw Full(options.Capacity);
            }

            Axon axon;
            try
            {
                axon = new Axon(options, _pool, ReturnRing);
            }
            catch (InvalidOperationException e)
            {
                // A ring that grew on another thread took the last block between the check and the lease.
                throw Full(options.Capacity, e);
            }

            _rings.Add(axon);
            return axon;
        }
    }

    private FabricFullException Full(int capacity, Exception? inner = null)
    {
        var message = capacity == Layout.RingCapacity && Layout.MinRingCapacity == Layout.RingCapacity
            ? $"All {Layout.RingCount} rings of this fabric are leased; dispose an Axon or choose a larger FabricTier."
            : $"The fabric's ring pool has no free ring of {capacity} slots: {_rings.Count} rings hold {_pool.LeasedBytes:N0} of its {_pool.TotalBytes:N0} bytes ({Layout.RingCount} blocks of {Layout.RingCapacity} slots); dispose an Axon or lay the fabric out with a larger ring pool.";
        return inner is null ? new FabricFullException(message) : new FabricFullException(message, inner);
    }

    private void ReturnRing(Axon axon)
    {
        lock (_ringsLock)
        {
            if (_rings.Remove(axon))
            {
                _retiredHighWaterHits += axon.Counters.HighWaterHits;
                _retiredGrows += axon.Grows;
                _retiredGrowsRefused += axon.GrowsRefused;
            }
        }
    }
}
