using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// A lock-free bump allocator for spike payloads that do not fit inline. Blocks are 64-byte aligned and
/// reference counted; the whole arena is reclaimed at once by moving to a new epoch.
/// </summary>
/// <remarks>
/// <para>Memory: a 192-byte <c>ArenaHeader</c>, then blocks of [16-byte header | payload], each padded to 64 bytes.
/// Allocation is one <see cref="Interlocked.Add(ref long, long)"/> on the bump cursor; a failed allocation writes nothing.</para>
/// <para>Every access through an <see cref="ArenaRef"/> is validated first: epoch, bounds, alignment and the block
/// header must all agree, so a stale, forged or released reference raises a distinct error and never reads a neighbour.</para>
/// <para>An arena is anonymous (process memory) or file-backed (a memory-mapped file that several processes map;
/// the header and the atomics live in the shared mapping).</para>
/// <para>Reset is an epoch boundary: call it from the owner while no allocation is in progress.</para>
/// </remarks>
public sealed unsafe class Arena : IDisposable
{
    /// <summary>The smallest arena: its header plus one 4 KiB page of blocks.</summary>
    public const long MinimumCapacity = ArenaHeader.Size + 4096;

    private readonly NativeBlock? _ownedMemory;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;

    private Arena(byte* memory, long capacity, bool initialize, NativeBlock? ownedMemory, MemoryMappedFile? file, MemoryMappedViewAccessor? view, string? path)
    {
        _base = memory;
        _ownedMemory = ownedMemory;
        _file = file;
        _view = view;
        Path = path;
        if (initialize)
        {
            ref var header = ref Header;
            header.Version = ArenaHeader.CurrentVersion;
            header.Capacity = capacity;
            header.Epoch = 1;
            header.Next = ArenaHeader.Size;
            header.LiveBlocks = 0;
            Volatile.Write(ref header.Magic, ArenaHeader.ExpectedMagic);
        }
    }

    /// <summary>The backing file of a file-backed arena; null for an anonymous one.</summary>
    public string? Path { get; }

    /// <summary>Total bytes, header included.</summary>
    public long Capacity => Header.Capacity;

    /// <summary>The current epoch; references from other epochs are stale.</summary>
    public uint Epoch => Volatile.Read(ref Header.Epoch);

    /// <summary>Bytes handed out in this epoch, header included.</summary>
    public long Used => Math.Min(Volatile.Read(ref Header.Next), Capacity);

    /// <summary>Bytes still free in this epoch.</summary>
    public long Free => Capacity - Used;

    /// <summary>Blocks of this epoch that are still referenced.</summary>
    public long LiveBlocks => Volatile.Read(ref Header.LiveBlocks);

    private ref ArenaHeader Header => ref *(ArenaHeader*)Base;

    private byte* Base => _base != null ? _base : throw new ObjectDisposedException(nameof(Arena));

    /// <summary>Creates an arena in anonymous, pinned process memory.</summary>
    public static Arena CreateAnonymous(long capacity)
    {
        ValidateCapacity(capacity);
        var memory = new NativeBlock(capacity, CacheLine.Alignment);
        return new Arena(memory.Pointer, capacity, initialize: true, memory, null, null, null);
    }

    /// <summary>Creates (or overwrites) a file-backed arena that other processes can open with <see cref="OpenFile"/>.</summary>
    public static Arena CreateFile(string path, long capacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ValidateCapacity(capacity);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            stream.SetLength(capacity);
        }

        return Map(path, capacity, initialize: true);
    }

    /// <summary>Opens a file-backed arena created by this or another process.</summary>
    /// <exception cref="InvalidDataException">The file is not an arena, or its header disagrees with its size.</exception>
    public static Arena OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length;
        if (length < MinimumCapacity)
        {
            throw new InvalidDataException($"'{path}' is {length} bytes, smaller than any arena ({MinimumCapacity} bytes).");
        }

        var arena = Map(path, length, initialize: false);
        ref var header = ref arena.Header;
        if (Volatile.Read(ref header.Magic) != ArenaHeader.ExpectedMagic || header.Version != ArenaHeader.CurrentVersion || header.Capacity != length)
        {
            arena.Dispose();
            throw new InvalidDataException($"'{path}' is not a NeuroMesh arena (version {ArenaHeader.CurrentVersion}) of {length} bytes.");
        }

        return arena;
    }

    /// <summary>An arena over memory that a <see cref="SpikeFabric"/> owns.</summary>
    internal static Arena Over(byte* memory, long capacity)
    {
        ValidateCapacity(capacity);
        return new Arena(memory, capacity, initialize: true, null, null, null, null);
    }

    /// <summary>Bytes a block occupies for a payload of <paramref name="length"/> bytes (header included, padded to 64).</summary>
    public static long BlockSizeFor(int length) => (ArenaBlockHeader.Size + (long)length + CacheLine.Alignment - 1) & ~(long)(CacheLine.Alignment - 1);

    /// <summary>Allocates a block with a reference count of one.</summary>
    /// <exception cref="ArenaOutOfSpaceException">No room in this epoch; nothing was allocated.</exception>
    public ArenaRef Allocate(int length)
    {
        if (!TryAllocate(length, out var reference))
        {
            throw new ArenaOutOfSpaceException(length, Free, Capacity);
        }

        return reference;
    }

    /// <summary>Allocates a block with a reference count of one, or returns false when there is no room.</summary>
    public bool TryAllocate(int length, out ArenaRef reference)
    {
        if (length <= 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(length), $"An arena payload needs a positive length (got {length}).");
        }

        ref var header = ref Header;
        var size = BlockSizeFor(length);
        var epoch = Volatile.Read(ref header.Epoch);
        if (size > header.Capacity - Volatile.Read(ref header.Next))
        {
            reference = default;
            return false;
        }

        var offset = Interlocked.Add(ref header.Next, size) - size;
        if (offset + size > header.Capacity)
        {
            // Lost the race for the last bytes: the cursor stays past the end, so later requests fail fast too.
            reference = default;
            return false;
        }

        ref var block = ref *(ArenaBlockHeader*)(Base + offset);
        block.Epoch = epoch;
        block.Length = length;
        block.RefCount = 1;
        Volatile.Write(ref block.Magic, ArenaBlockHeader.ExpectedMagic);
        Interlocked.Increment(ref header.LiveBlocks);
        reference = new ArenaRef(offset, length, epoch);
        return true;
    }

    /// <summary>Allocates a block and copies <paramref name="payload"/> into it.</summary>
    /// <exception cref="ArenaOutOfSpaceException">No room in this epoch.</exception>
    public ArenaRef Write(ReadOnlySpan<byte> payload)
    {
        var reference = Allocate(payload.Length);
        payload.CopyTo(new Span<byte>(Base + reference.Offset + ArenaBlockHeader.Size, payload.Length));
        return reference;
    }

    /// <summary>The payload bytes of a live block.</summary>
    /// <exception cref="ArenaStaleRefException">The reference is from an earlier epoch.</exception>
    /// <exception cref="ArenaInvalidRefException">The reference does not name a live block.</exception>
    public Span<byte> GetSpan(ArenaRef reference)
    {
        Resolve(reference);
        return new Span<byte>(Base + reference.Offset + ArenaBlockHeader.Size, reference.Length);
    }

    /// <summary>The payload bytes of a live block, read-only.</summary>
    public ReadOnlySpan<byte> Read(ArenaRef reference) => GetSpan(reference);

    /// <summary>Adds a reference to a live block (for example before fanning its spike out to another reader).</summary>
    public void Retain(ArenaRef reference)
    {
        ref var block = ref Resolve(reference);
        while (true)
        {
            var count = Volatile.Read(ref block.RefCount);
            if (count <= 0)
            {
                throw new ArenaInvalidRefException(reference, "the block was already released");
            }

            if (Interlocked.CompareExchange(ref block.RefCount, count + 1, count) == count)
            {
                return;
            }
        }
    }

    /// <summary>Drops a reference; returns true when it was the last one and the block is no longer live.</summary>
    /// <exception cref="ArenaInvalidRefException">The block was already fully released.</exception>
    public bool Release(ArenaRef reference)
    {
        ref var block = ref Resolve(reference);
        while (true)
        {
            var count = Volatile.Read(ref block.RefCount);
            if (count <= 0)
            {
                throw new ArenaInvalidRefException(reference, "the block was already released");
            }

            if (Interlocked.CompareExchange(ref block.RefCount, count - 1, count) == count)
            {
                if (count == 1)
                {
                    Interlocked.Decrement(ref Header.LiveBlocks);
                    return true;
                }

                return false;
            }
        }
    }

    /// <summary>Starts a new epoch if no block is live; every earlier reference becomes stale.</summary>
    /// <returns>False, changing nothing, when blocks of this epoch are still referenced.</returns>
    public bool TryReset()
    {
        if (LiveBlocks != 0)
        {
            return false;
        }

        ForceReset();
        return true;
    }

    /// <summary>Starts a new epoch even though blocks are live: their references become stale (and raise errors), and their memory is reused.</summary>
    public void ForceReset()
    {
        ref var header = ref Header;
        Volatile.Write(ref header.LiveBlocks, 0);
        Volatile.Write(ref header.Next, ArenaHeader.Size);
        Interlocked.Increment(ref Unsafe.As<uint, int>(ref header.Epoch));
    }

    /// <summary>Writes <paramref name="payload"/> into <paramref name="spike"/>: inline when it fits, otherwise into a new block whose reference the spike carries.</summary>
    /// <exception cref="ArenaOutOfSpaceException">The payload needs a block and there is no room.</exception>
    public void AttachPayload(ref Spike spike, ReadOnlySpan<byte> payload)
    {
        if (payload.Length <= Spike.InlinePayloadCapacity)
        {
            spike.SetInlinePayload(payload);
        }
        else
        {
            spike.SetArenaRef(Write(payload));
        }
    }

    /// <summary>The payload of a spike: its inline bytes, or its arena block.</summary>
    public ReadOnlySpan<byte> GetPayload(in Spike spike)
        => spike.TryGetArenaRef(out var reference) ? Read(reference) : spike.InlinePayload;

    /// <summary>Unmaps or frees the memory (a file-backed arena's file stays on disk).</summary>
    public void Dispose()
    {
        if (_base == null)
        {
            return;
        }

        _base = null;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _file?.Dispose();
        _ownedMemory?.Dispose();
    }

    private ref ArenaBlockHeader Resolve(ArenaRef reference)
    {
        var epoch = Epoch;
        if (reference.Epoch != epoch)
        {
            throw new ArenaStaleRefException(reference, epoch);
        }

        var limit = Used;
        if (reference.Offset < ArenaHeader.Size || (reference.Offset & (CacheLine.Alignment - 1)) != 0)
        {
            throw new ArenaInvalidRefException(reference, "its offset is not the start of a block");
        }

        if (reference.Length <= 0 || reference.Offset > limit - BlockSizeFor(reference.Length))
        {
            throw new ArenaInvalidRefException(reference, $"it reaches past the {limit} bytes allocated in this epoch");
        }

        ref var block = ref *(ArenaBlockHeader*)(Base + reference.Offset);
        if (Volatile.Read(ref block.Magic) != ArenaBlockHeader.ExpectedMagic || block.Epoch != reference.Epoch || block.Length != reference.Length)
        {
            throw new ArenaInvalidRefException(reference, "no block of that length and epoch starts there");
        }

        if (Volatile.Read(ref block.RefCount) <= 0)
        {
            throw new ArenaInvalidRefException(reference, "the block was already released");
        }

        return ref block;
    }

    private static Arena Map(string path, long capacity, bool initialize)
    {
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity, MemoryMappedFileAccess.ReadWrite);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
            return new Arena(pointer, capacity, initialize, null, file, view, System.IO.Path.GetFullPath(path));
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    private static void ValidateCapacity(long capacity)
    {
        if (capacity < MinimumCapacity || capacity % CacheLine.Alignment != 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(capacity), $"An arena needs a capacity that is a multiple of 64 and at least {MinimumCapacity} bytes (got {capacity}).");
        }
    }
}
