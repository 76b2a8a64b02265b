using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// The ring region of a <see cref="SpikeFabric"/> as a buddy allocator: blocks of every power-of-two ring size from
/// <see cref="MinCapacity"/> to <see cref="MaxCapacity"/> slots, split from and merged back into max-size blocks. A ring
/// that grows leases the next size up here and gives its old block back once no reader can still be in it.
/// </summary>
/// <remarks>
/// Thread-safe (one lock; leases and returns happen when a neuron is hosted or leaves, or a ring grows, never per spike).
/// Freed blocks merge with their buddies, so leasing and returning any mix of sizes leaves the pool as it started:
/// <see cref="LeasedBytes"/> and <see cref="LeasedBlocks"/> go back to zero and every max-size block is whole again.
/// </remarks>
internal sealed unsafe class RingPool : IRingMemory
{
    private readonly Lock _lock = new();
    private readonly byte* _base;
    private readonly SortedSet<long>[] _free;
    private readonly int _minShift;
    private long _leasedBytes;
    private long _leasedBlocks;
    private long _peakLeasedBytes;

    /// <summary>A pool over <paramref name="blocks"/> max-size blocks starting at <paramref name="memory"/> (64-byte aligned).</summary>
    public RingPool(byte* memory, int blocks, int minCapacity, int maxCapacity)
    {
        if (minCapacity < 2 || (minCapacity & (minCapacity - 1)) != 0 || maxCapacity < minCapacity || (maxCapacity & (maxCapacity - 1)) != 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(minCapacity), $"Ring sizes must be powers of two with 2 <= min <= max (got {minCapacity}..{maxCapacity}).");
        }

        _base = memory;
        MinCapacity = minCapacity;
        MaxCapacity = maxCapacity;
        BlockCount = blocks;
        _minShift = System.Numerics.BitOperations.Log2((uint)minCapacity * Spike.Size);
        var orders = System.Numerics.BitOperations.Log2((uint)(maxCapacity / minCapacity)) + 1;
        _free = new SortedSet<long>[orders];
        for (var i = 0; i < orders; i++)
        {
            _free[i] = [];
        }

        var top = (long)maxCapacity * Spike.Size;
        for (var i = 0; i < blocks; i++)
        {
            _free[orders - 1].Add(i * top);
        }
    }

    /// <summary>The smallest ring, in slots.</summary>
    public int MinCapacity { get; }

    /// <summary>The largest ring, in slots.</summary>
    public int MaxCapacity { get; }

    /// <summary>Max-size blocks in the pool.</summary>
    public int BlockCount { get; }

    /// <summary>Bytes of the whole pool.</summary>
    public long TotalBytes => (long)BlockCount * MaxCapacity * Spike.Size;

    /// <summary>Bytes leased now.</summary>
    public long LeasedBytes
    {
        get
        {
            lock (_lock)
            {
                return _leasedBytes;
            }
        }
    }

    /// <summary>The most bytes leased at once over the pool's life.</summary>
    public long PeakLeasedBytes
    {
        get
        {
            lock (_lock)
            {
                return _peakLeasedBytes;
            }
        }
    }

    /// <summary>Blocks leased now.</summary>
    public long LeasedBlocks
    {
        get
        {
            lock (_lock)
            {
                return _leasedBlocks;
            }
        }
    }

    /// <summary>Max-size blocks that are whole and free now (after every lease is returned, <see cref="BlockCount"/>).</summary>
    public int WholeFreeBlocks
    {
        get
        {
            lock (_lock)
            {
                return _free[^1].Count;
            }
        }
    }

    /// <inheritdoc />
    public RingBlock? TryLease(int capacity)
    {
        var order = OrderOf(capacity);
        lock (_lock)
        {
            var from = order;
            while (from < _free.Length && _free[from].Count == 0)
            {
                from++;
            }

            if (from == _free.Length)
            {
                return null;
            }

            var offset = _free[from].Min;
            _free[from].Remove(offset);
            while (from > order)
            {
                from--;
                _free[from].Add(offset + SizeOf(from));
            }

            var bytes = SizeOf(order);
            _leasedBytes += bytes;
            _leasedBlocks++;
            _peakLeasedBytes = Math.Max(_peakLeasedBytes, _leasedBytes);
            var slots = _base + offset;
            new Span<byte>(slots, checked((int)bytes)).Clear();
            return new RingBlock((Spike*)slots, capacity, offset, null);
        }
    }

    /// <inheritdoc />
    public void Return(RingBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var order = OrderOf(block.Capacity);
        var offset = block.Offset;
        if (offset < 0 || offset % SizeOf(order) != 0 || offset + SizeOf(order) > TotalBytes)
        {
            ThrowHelper.Argument(nameof(block), $"Ring block at offset {offset} with {block.Capacity} slots is not a block of this pool.");
        }

        lock (_lock)
        {
            _leasedBytes -= SizeOf(order);
            _leasedBlocks--;
            while (order < _free.Length - 1)
            {
                var buddy = offset ^ SizeOf(order);
                if (!_free[order].Remove(buddy))
                {
                    break;
                }

                offset = Math.Min(offset, buddy);
                order++;
            }

            if (!_free[order].Add(offset))
            {
                ThrowHelper.InvalidOperation($"Ring block at offset {offset} was returned twice.");
            }
        }
    }

    /// <summary>How many blocks of <paramref name="capacity"/> slots could be leased now.</summary>
    public long CountFree(int capacity)
    {
        var order = OrderOf(capacity);
        lock (_lock)
        {
            long count = 0;
            for (var i = order; i < _free.Length; i++)
            {
                count += (long)_free[i].Count << (i - order);
            }

            return count;
        }
    }

    private long SizeOf(int order) => 1L << (_minShift + order);

    private int OrderOf(int capacity)
    {
        if (capacity < MinCapacity || capacity > MaxCapacity || (capacity & (capacity - 1)) != 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(capacity), $"A ring of this fabric has a power-of-two capacity in {MinCapacity}..{MaxCapacity} slots (got {capacity}).");
        }

        return System.Numerics.BitOperations.Log2((uint)(capacity / MinCapacity));
    }
}
