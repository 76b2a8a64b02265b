using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

/// <summary>Rings sized by traffic: a fabric's ring pool and the Block-policy rings that grow in it.</summary>
[Trait("Tier", "Unit")]
public class GrowableRingTests
{
    // 4 full-size blocks of 256 slots (16 KiB each); the smallest ring is 16 slots (1 KiB).
    private static SpikeFabric SmallFabric() => new(FabricLayout.Create(new FabricLayoutOptions
    {
        TotalBytes = 1 << 20,
        RingCount = 4,
        RingCapacity = 256,
        MinRingCapacity = 16,
        PayloadBytes = 65536,
    }));

    [Fact]
    public void A_growable_ring_starts_small_and_grows_when_full_instead_of_refusing()
    {
        using var fabric = SmallFabric();
        var axon = fabric.LeaseGrowableAxon();
        Assert.Equal(16, axon.Capacity);
        Assert.Equal(16 * Spike.Size, fabric.LeasedRingBytes);
        using var reader = axon.CreateReader();

        // 100 spikes with nobody reading: a fixed 16-slot ring would refuse 84 of them.
        for (long i = 0; i < 100; i++)
        {
            Assert.True(axon.TryPublish(TestSpikes.Make(i), TimeSpan.Zero), $"spike {i} refused");
        }

        Assert.Equal(128, axon.Capacity);
        Assert.Equal(3, axon.Grows);
        Assert.Equal(0, axon.Counters.RejectedTimeout);
        Assert.Equal(0, axon.Counters.HighWaterHits);

        // Old blocks wait for the reader to pass the sequence at which the ring left them.
        Assert.True(fabric.LeasedRingBytes > 128 * Spike.Size);
        var buffer = new Spike[256];
        Assert.Equal(100, reader.Drain(buffer));
        for (var i = 0; i < 100; i++)
        {
            Assert.True(TestSpikes.IsIntact(buffer[i], i), $"spike {i} is not intact after the ring grew");
        }

        axon.ReclaimRetired();
        Assert.Equal(128 * Spike.Size, fabric.LeasedRingBytes);
        Assert.Equal(1, fabric.LeasedRingBlocks);

        var counters = reader.Counters;
        Assert.Equal(100, counters.Published);
        Assert.Equal(100, counters.Consumed);
        Assert.Equal(0, counters.InFlight);

        axon.Dispose();
        Assert.Equal(0, fabric.LeasedRingBytes);
        Assert.Equal(0, fabric.LeasedRingBlocks);
        Assert.Equal(4, fabric.WholeFreeRingBlocks);
        Assert.Equal(3, fabric.RingGrows);
    }

    [Fact]
    public void At_its_largest_size_a_growable_ring_refuses_as_a_fixed_ring_does_and_counts_it()
    {
        using var fabric = SmallFabric();
        using var axon = fabric.LeaseGrowableAxon();
        using var reader = axon.CreateReader();
        var published = 0;
        for (long i = 0; i < 300; i++)
        {
            published += axon.TryPublish(TestSpikes.Make(i), TimeSpan.Zero) ? 1 : 0;
        }

        Assert.Equal(256, axon.Capacity);
        Assert.Equal(256, published);
        Assert.Equal(44, axon.Counters.RejectedTimeout);
        Assert.Equal(0, axon.GrowsRefused);
        var buffer = new Spike[300];
        Assert.Equal(256, reader.Drain(buffer));
        Assert.All(Enumerable.Range(0, 256), i => Assert.True(TestSpikes.IsIntact(buffer[i], i)));
    }

    [Fact]
    public void A_ring_that_finds_no_larger_block_waits_as_a_fixed_ring_and_counts_the_refused_growth()
    {
        using var fabric = SmallFabric();

        // Three full-size rings and 15 small ones leave no block above 16 slots.
        var fixedRings = Enumerable.Range(0, 3).Select(_ => fabric.LeaseAxon(OverflowPolicy.Block)).ToList();
        var small = Enumerable.Range(0, 16).Select(_ => fabric.LeaseGrowableAxon()).ToList();
        Assert.Equal(0, fabric.FreeSmallRings);
        Assert.Throws<FabricFullException>(() => fabric.LeaseGrowableAxon());

        var axon = small[0];
        using var reader = axon.CreateReader();
        var published = 0;
        for (long i = 0; i < 20; i++)
        {
            published += axon.TryPublish(TestSpikes.Make(i), TimeSpan.Zero) ? 1 : 0;
        }

        Assert.Equal(16, published);
        Assert.Equal(16, axon.Capacity);
        Assert.Equal(4, axon.GrowsRefused);
        Assert.Equal(4, axon.Counters.RejectedTimeout);

        foreach (var ring in fixedRings.Concat(small))
        {
            ring.Dispose();
        }

        Assert.Equal(0, fabric.LeasedRingBytes);
        Assert.Equal(4, fabric.WholeFreeRingBlocks);
        Assert.Equal(4, fabric.RingGrowsRefused);
    }

    [Fact]
    public void A_ring_growing_under_a_concurrent_reader_delivers_every_spike_once_in_order()
    {
        using var fabric = new SpikeFabric(FabricLayout.Create(new FabricLayoutOptions
        {
            TotalBytes = 4 << 20,
            RingCount = 4,
            RingCapacity = 4096,
            MinRingCapacity = 16,
            PayloadBytes = 65536,
        }));
        const long total = 400_000;
        var axon = fabric.LeaseGrowableAxon(WaitStrategy.SpinWait);
        var reader = axon.CreateReader();
        var failure = (string?)null;
        var consumer = new Thread(() =>
        {
            var buffer = new Spike[64];
            var next = 0L;
            var spins = 0;
            while (next < total)
            {
                var got = reader.Drain(buffer.AsSpan(0, 1 + (int)(next % 64)));
                for (var i = 0; i < got; i++, next++)
                {
                    if (!TestSpikes.IsIntact(buffer[i], next))
                    {
                        failure ??= $"spike {next} arrived torn or out of order";
                    }
                }

                // A slow reader now and then, so that the producer finds the ring full and grows it.
                if (got == 0 || ++spins % 1000 == 0)
                {
                    Thread.Yield();
                }
            }
        });
        consumer.Start();
        var batch = new Spike[32];
        for (long sent = 0; sent < total;)
        {
            var count = (int)Math.Min(batch.Length, total - sent);
            for (var i = 0; i < count; i++)
            {
                batch[i] = TestSpikes.Make(sent + i);
            }

            sent += axon.TryPublishBatch(batch.AsSpan(0, count), Timeout.InfiniteTimeSpan);
            axon.ReclaimRetired();
        }

        consumer.Join();
        Assert.Null(failure);
        Assert.True(axon.Grows > 0, "the producer outran the reader at least once, so the ring grew");
        var counters = reader.Counters;
        Assert.Equal(total, counters.Published);
        Assert.Equal(total, counters.Consumed);
        Assert.Equal(0, counters.DroppedOverwritten + counters.DroppedDetached + counters.InFlight);
        axon.ReclaimRetired();
        Assert.Equal((long)axon.Capacity * Spike.Size, fabric.LeasedRingBytes);
        reader.Dispose();
        axon.Dispose();
        Assert.Equal(0, fabric.LeasedRingBytes);
        Assert.Equal(4, fabric.WholeFreeRingBlocks);
    }

    [Fact]
    public void The_pool_merges_returned_blocks_of_every_size_back_into_whole_blocks()
    {
        using var fabric = SmallFabric();
        var random = new Random(7);
        var leased = new List<Axon>();
        for (var round = 0; round < 50; round++)
        {
            while (fabric.FreeSmallRings > 0 && leased.Count < 40)
            {
                leased.Add(random.Next(4) == 0 && fabric.WholeFreeRingBlocks > 0 ? fabric.LeaseAxon(OverflowPolicy.Block) : fabric.LeaseGrowableAxon());
            }

            for (var i = leased.Count - 1; i >= 0; i--)
            {
                if (random.Next(2) == 0)
                {
                    leased[i].Dispose();
                    leased.RemoveAt(i);
                }
            }

            Assert.Equal(leased.Sum(a => a.LeasedBytes), fabric.LeasedRingBytes);
        }

        leased.ForEach(a => a.Dispose());
        Assert.Equal(0, fabric.LeasedRingBytes);
        Assert.Equal(0, fabric.LeasedRingBlocks);
        Assert.Equal(0, fabric.LeasedRings);
        Assert.Equal(4, fabric.WholeFreeRingBlocks);
    }

    [Fact]
    public void Only_a_block_policy_ring_can_grow_and_only_to_a_power_of_two()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AxonOptions { Capacity = 16, MaxCapacity = 64, Overflow = OverflowPolicy.Overwrite }.Validate());
        Assert.Contains("Only a Block-policy ring can grow", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new AxonOptions { Capacity = 16, MaxCapacity = 48, Overflow = OverflowPolicy.Block }.Validate());
        Assert.Contains("MaxCapacity", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new AxonOptions { Capacity = 16, MaxCapacity = 8, Overflow = OverflowPolicy.Block }.Validate());
        Assert.Contains("MaxCapacity", e.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(24)]
    [InlineData(512)]
    public void A_smallest_ring_that_is_no_power_of_two_or_above_the_full_size_is_refused_by_name(int minRing)
    {
        var e = Assert.Throws<ArgumentException>(() => FabricLayout.Create(new FabricLayoutOptions { TotalBytes = 1 << 20, RingCount = 4, RingCapacity = 256, MinRingCapacity = minRing, PayloadBytes = 65536 }));
        Assert.Contains("FabricLayout.MinRingCapacity", e.Message);
    }
}
