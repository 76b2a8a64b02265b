using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// A silo's fast-path memory: one pinned, 64-byte-aligned native arena laid out by a <see cref="FabricLayout"/>,
/// which it carves into leased rings, a payload <see cref="Arena"/> and a state area.
/// </summary>
public sealed unsafe class SpikeFabric : IDisposable
{
    private readonly NativeBlock _memory;
    private readonly Lock _ringsLock = new();
    private readonly Axon?[] _rings;
    private long _retiredHighWaterHits;

    /// <summary>Allocates the arena and lays it out.</summary>
    public SpikeFabric(FabricLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
        _memory = new NativeBlock(layout.TotalBytes, CacheLine.Alignment);
        _rings = new Axon?[layout.RingCount];
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
                return _rings.Count(r => r is not null);
            }
        }
    }

    /// <summary>Times any ring's producer reached the high-water mark, over the fabric's life (rings returned since included). Takes the rings lock: for telemetry, not the fast path.</summary>
    public long HighWaterHits
    {
        get
        {
            lock (_ringsLock)
            {
                return _retiredHighWaterHits + _rings.Sum(r => r?.Counters.HighWaterHits ?? 0);
            }
        }
    }

    /// <summary>Leases a free ring. Disposing the returned <see cref="Axon"/> returns the ring to the fabric.</summary>
    /// <param name="overflow">The ring's overflow policy.</param>
    /// <param name="waitStrategy">How its readers wait.</param>
    /// <exception cref="InvalidOperationException">Every ring is leased; the message says how many there are.</exception>
    public Axon LeaseAxon(OverflowPolicy overflow = OverflowPolicy.Overwrite, WaitStrategy waitStrategy = WaitStrategy.YieldThenPark)
    {
        var options = new AxonOptions { Capacity = Layout.RingCapacity, Overflow = overflow, WaitStrategy = waitStrategy };
        lock (_ringsLock)
        {
            var index = Array.IndexOf(_rings, null);
            if (index < 0)
            {
                ThrowHelper.InvalidOperation($"All {_rings.Length} rings of this fabric are leased; dispose an Axon or choose a larger FabricTier.");
            }

            var slots = (Spike*)(_memory.Pointer + Layout.RingOffset(index));
            new Span<byte>(slots, checked((int)Layout.RingBytes)).Clear();
            var axon = new Axon(options, slots, ReturnRing);
            _rings[index] = axon;
            return axon;
        }
    }

    /// <summary>Frees the arena. Every leased ring must be disposed (and idle) first.</summary>
    public void Dispose()
    {
        lock (_ringsLock)
        {
            foreach (var ring in _rings)
            {
                ring?.Dispose();
            }
        }

        Payloads.Dispose();
        _memory.Dispose();
    }

    private void ReturnRing(Axon axon)
    {
        lock (_ringsLock)
        {
            var index = Array.IndexOf(_rings, axon);
            if (index >= 0)
            {
                _retiredHighWaterHits += axon.Counters.HighWaterHits;
                _rings[index] = null;
            }
        }
    }
}
