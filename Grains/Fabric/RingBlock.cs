using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// The slots of one ring: where they start, how many there are and the index mask. Immutable, so a reader that loads it
/// once sees a pointer and a mask that belong together, even while its <see cref="Axon"/> grows into a new block.
/// </summary>
internal sealed unsafe class RingBlock
{
    internal RingBlock(Spike* slots, int capacity, long offset, NativeBlock? owned)
    {
        Slots = slots;
        Capacity = capacity;
        Mask = capacity - 1;
        Offset = offset;
        Owned = owned;
    }

    /// <summary>The first slot (64-byte aligned).</summary>
    public Spike* Slots { get; }

    /// <summary>Number of slots, a power of two.</summary>
    public int Capacity { get; }

    /// <summary><see cref="Capacity"/> - 1.</summary>
    public int Mask { get; }

    /// <summary>Offset of the block inside its <see cref="RingPool"/> (bytes), or -1 for memory the ring owns.</summary>
    public long Offset { get; }

    /// <summary>The native memory of a ring that owns its slots; null for a block of a pool.</summary>
    public NativeBlock? Owned { get; }

    /// <summary>Bytes the block covers.</summary>
    public long Bytes => (long)Capacity * Spike.Size;
}

/// <summary>Where an <see cref="Axon"/> gets (and gives back) the memory for its slots, including when it grows.</summary>
internal interface IRingMemory
{
    /// <summary>A zeroed block of <paramref name="capacity"/> slots, or null when there is no room.</summary>
    RingBlock? TryLease(int capacity);

    /// <summary>Gives a block back; it must be no longer read or written.</summary>
    void Return(RingBlock block);
}

/// <summary>Rings that own their memory: each block is its own <see cref="NativeBlock"/>.</summary>
internal sealed unsafe class OwnedRingMemory : IRingMemory
{
    public static readonly OwnedRingMemory Instance = new();

    public RingBlock? TryLease(int capacity)
    {
        var memory = new NativeBlock((long)capacity * Spike.Size, CacheLine.Alignment);
        return new RingBlock((Spike*)memory.Pointer, capacity, -1, memory);
    }

    public void Return(RingBlock block) => block.Owned?.Dispose();
}
