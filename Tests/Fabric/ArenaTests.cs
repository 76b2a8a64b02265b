using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

[Trait("Tier", "Unit")]
public class ArenaTests
{
    [Fact]
    public void Payloads_round_trip_byte_exact_in_64_byte_aligned_blocks()
    {
        using var arena = Arena.CreateAnonymous(1 << 20);
        var refs = new List<(ArenaRef Ref, byte[] Data)>();
        for (var i = 1; i <= 200; i++)
        {
            var data = Pattern(i * 13, seed: i);
            var reference = arena.Write(data);
            Assert.Equal(0, reference.Offset % 64);
            Assert.Equal(data.Length, reference.Length);
            refs.Add((reference, data));
        }

        foreach (var (reference, data) in refs)
        {
            Assert.Equal(data, arena.Read(reference).ToArray());
        }

        Assert.Equal(200, arena.LiveBlocks);
    }

    [Fact]
    public void A_spike_carries_a_large_payload_through_an_axon_by_reference()
    {
        using var arena = Arena.CreateAnonymous(1 << 16);
        using var axon = new Axon(new AxonOptions { Capacity = 8 });
        using var reader = axon.CreateReader();
        var small = Pattern(36, seed: 1);
        var large = Pattern(5000, seed: 2);

        var a = Spike.Create(1, 2);
        arena.AttachPayload(ref a, small);
        var b = Spike.Create(1, 3);
        arena.AttachPayload(ref b, large);
        Assert.False(a.HasArenaPayload);
        Assert.True(b.HasArenaPayload);
        axon.Publish(a);
        axon.Publish(b);

        Assert.True(reader.TryRead(out var ra));
        Assert.True(reader.TryRead(out var rb));
        Assert.Equal(small, arena.GetPayload(ra).ToArray());
        Assert.Equal(large, arena.GetPayload(rb).ToArray());
        Assert.True(rb.TryGetArenaRef(out var reference));
        Assert.True(arena.Release(reference));
        Assert.Equal(0, arena.LiveBlocks);
    }

    [Fact]
    public void Out_of_space_is_a_distinct_error_and_leaves_existing_blocks_intact()
    {
        using var arena = Arena.CreateAnonymous(Arena.MinimumCapacity);
        var keep = arena.Write(Pattern(1000, seed: 7));
        var e = Assert.Throws<ArenaOutOfSpaceException>(() => arena.Write(new byte[8000]));
        Assert.Contains("out of space", e.Message);
        Assert.Equal(8000, e.Requested);
        Assert.False(arena.TryAllocate(8000, out _));
        Assert.Equal(Pattern(1000, seed: 7), arena.Read(keep).ToArray());

        // Smaller requests still fit after a failed large one.
        var small = arena.Write(Pattern(100, seed: 8));
        Assert.Equal(Pattern(100, seed: 8), arena.Read(small).ToArray());
    }

    [Fact]
    public void Reset_makes_old_references_stale_and_refuses_while_blocks_are_live()
    {
        using var arena = Arena.CreateAnonymous(1 << 16);
        var reference = arena.Write(Pattern(100, seed: 3));
        Assert.False(arena.TryReset());
        Assert.Equal(1u, arena.Epoch);

        arena.Retain(reference);
        Assert.False(arena.Release(reference));
        Assert.True(arena.Release(reference));
        Assert.True(arena.TryReset());
        Assert.Equal(2u, arena.Epoch);

        var e = Assert.Throws<ArenaStaleRefException>(() => arena.Read(reference));
        Assert.Contains("epoch 2", e.Message);
        Assert.Equal(reference, e.Reference);

        var fresh = arena.Write(Pattern(100, seed: 4));
        Assert.Equal(reference.Offset, fresh.Offset);
        Assert.Throws<ArenaStaleRefException>(() => arena.Release(reference));
        Assert.Equal(Pattern(100, seed: 4), arena.Read(fresh).ToArray());
    }

    [Fact]
    public void Invalid_references_are_rejected_without_touching_neighbours()
    {
        using var arena = Arena.CreateAnonymous(1 << 16);
        var first = arena.Write(Pattern(200, seed: 5));
        var second = arena.Write(Pattern(200, seed: 6));
        var epoch = arena.Epoch;

        ArenaRef[] forged =
        [
            new(first.Offset + 8, 200, epoch),              // misaligned
            new(first.Offset + 64, 100, epoch),             // aligned, but inside a block
            new(first.Offset, 201, epoch),                  // wrong length
            new(1 << 20, 10, epoch),                        // past the end
            new(second.Offset, 1 << 30, epoch),             // reaches past what was allocated
            new(0, 10, epoch),                              // the arena header
            new(-64, 10, epoch),                            // negative
        ];
        foreach (var reference in forged)
        {
            Assert.Throws<ArenaInvalidRefException>(() => arena.Read(reference));
            Assert.Throws<ArenaInvalidRefException>(() => arena.Retain(reference));
            Assert.Throws<ArenaInvalidRefException>(() => arena.Release(reference));
        }

        Assert.True(arena.Release(first));
        var e = Assert.Throws<ArenaInvalidRefException>(() => arena.Release(first));
        Assert.Contains("already released", e.Message);
        Assert.Throws<ArenaInvalidRefException>(() => arena.Read(first));

        Assert.Equal(Pattern(200, seed: 6), arena.Read(second).ToArray());
        Assert.Equal(1, arena.LiveBlocks);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Non_positive_lengths_are_rejected(int length)
    {
        using var arena = Arena.CreateAnonymous(1 << 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Allocate(length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(Arena.MinimumCapacity + 1)]
    public void Bad_capacities_are_rejected(long capacity)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Arena.CreateAnonymous(capacity));
        Assert.Contains("capacity", e.Message);
    }

    [Fact]
    public async Task Concurrent_allocators_never_share_bytes()
    {
        using var arena = Arena.CreateAnonymous(8 << 20);
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var mine = new List<(ArenaRef Ref, int Seed, int Length)>();
            for (var i = 0; i < 2000; i++)
            {
                var length = 37 + ((i * 31 + w) % 700);
                var seed = (w * 100_000) + i;
                if (!arena.TryAllocate(length, out var reference))
                {
                    break;
                }

                Pattern(length, seed).CopyTo(arena.GetSpan(reference));
                mine.Add((reference, seed, length));
            }

            return mine;
        })).ToArray();

        var all = (await Task.WhenAll(workers)).SelectMany(x => x).ToList();
        Assert.True(all.Count > 4000);
        foreach (var (reference, seed, length) in all)
        {
            Assert.Equal(Pattern(length, seed), arena.Read(reference).ToArray());
        }

        var ordered = all.Select(a => a.Ref).OrderBy(r => r.Offset).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i - 1].Offset + Arena.BlockSizeFor(ordered[i - 1].Length) <= ordered[i].Offset);
        }

        Assert.Equal(all.Count, arena.LiveBlocks);
    }

    internal static byte[] Pattern(int length, int seed)
    {
        var data = new byte[length];
        var x = (uint)seed * 2654435761u + 1;
        for (var i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            data[i] = (byte)x;
        }

        return data;
    }
}
