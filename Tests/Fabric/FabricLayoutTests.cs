using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

[Trait("Tier", "Unit")]
public class FabricLayoutTests
{
    [Theory]
    [InlineData(FabricTier.Light, 32)]
    [InlineData(FabricTier.Moderate, 64)]
    [InlineData(FabricTier.Heavy, 128)]
    [InlineData(FabricTier.Dedicated, 256)]
    public void Tier_presets_have_their_sizes_and_regions_do_not_overlap(FabricTier tier, long mebibytes)
    {
        var layout = FabricLayout.ForTier(tier);
        Assert.Equal(mebibytes << 20, layout.TotalBytes);
        var regions = layout.Regions;
        Assert.Equal(0, regions[0].Offset);
        for (var i = 1; i < regions.Count; i++)
        {
            Assert.True(regions[i - 1].End <= regions[i].Offset, $"{regions[i - 1].Name} overlaps {regions[i].Name}");
            Assert.Equal(0, regions[i].Offset % 4096);
        }

        Assert.True(regions[^1].End <= layout.TotalBytes);
        Assert.Equal(layout.RingBytes, layout.RingOffset(1) - layout.RingOffset(0));
        Assert.Equal(layout.RingCapacity * (long)Spike.Size, layout.RingBytes);
        Assert.True(layout.StateBytes > 0);
    }

    [Fact]
    public void A_dedicated_fabric_can_be_larger_but_must_be_a_power_of_two()
    {
        Assert.Equal(1L << 30, FabricLayout.ForTier(FabricTier.Dedicated, 1L << 30).TotalBytes);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FabricLayout.Preset(FabricTier.Dedicated, 300L << 20));
        Assert.Contains("TotalBytes", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => FabricLayout.Preset(FabricTier.Dedicated, 128L << 20));
    }

    [Theory]
    [InlineData("TotalBytes", 3_000_000L, 4, 1024, 65536L, 0L)]
    [InlineData("TotalBytes", 1024L, 4, 1024, 65536L, 0L)]
    [InlineData("RingCount", 1L << 20, 0, 1024, 65536L, 0L)]
    [InlineData("RingCapacity", 1L << 20, 4, 1000, 65536L, 0L)]
    [InlineData("RingCapacity", 1L << 20, 4, 1, 65536L, 0L)]
    [InlineData("PayloadBytes", 1L << 20, 4, 1024, 100L, 0L)]
    [InlineData("PayloadBytes", 1L << 20, 4, 1024, 65537L, 0L)]
    [InlineData("StateBytes", 1L << 20, 4, 1024, 65536L, -64L)]
    [InlineData("StateBytes", 1L << 20, 4, 1024, 65536L, 65L)]
    [InlineData("TotalBytes", 1L << 20, 16, 1024, 65536L, 0L)]
    [InlineData("TotalBytes", 1L << 20, 4, 1024, 65536L, 1L << 20)]
    public void Invalid_sizes_are_rejected_with_a_message_naming_the_field(string field, long total, int rings, int capacity, long payload, long state)
    {
        var options = new FabricLayoutOptions { TotalBytes = total, RingCount = rings, RingCapacity = capacity, PayloadBytes = payload, StateBytes = state };
        var e = Assert.Throws<ArgumentException>(() => FabricLayout.Create(options));
        Assert.Contains($"FabricLayout.{field}", e.Message);
    }

    [Fact]
    public unsafe void A_fabric_leases_aligned_disjoint_rings_and_takes_them_back()
    {
        var options = new FabricLayoutOptions { TotalBytes = 1 << 20, RingCount = 3, RingCapacity = 256, PayloadBytes = 65536, StateBytes = 4096 };
        using var fabric = new SpikeFabric(FabricLayout.Create(options));
        var a = fabric.LeaseAxon();
        var b = fabric.LeaseAxon(OverflowPolicy.Block);
        var c = fabric.LeaseAxon();
        Assert.Equal(3, fabric.LeasedRings);
        var e = Assert.Throws<FabricFullException>(() => fabric.LeaseAxon());
        Assert.Contains("All 3 rings", e.Message);

        var addresses = new[] { a.SlotsAddress, b.SlotsAddress, c.SlotsAddress }.Order().ToArray();
        Assert.All(addresses, address => Assert.Equal(0, address % 64));
        Assert.True(addresses[1] - addresses[0] >= 256 * 64);
        Assert.True(addresses[2] - addresses[1] >= 256 * 64);
        Assert.Equal(OverflowPolicy.Block, b.Options.Overflow);

        // Rings do not bleed into each other.
        using (var ra = a.CreateReader())
        using (var rc = c.CreateReader())
        {
            for (long i = 0; i < 1000; i++)
            {
                a.Publish(TestSpikes.Make(i));
                c.Publish(TestSpikes.Make(i + 1_000_000));
            }

            var buffer = new Spike[256];
            var got = ra.Drain(buffer);
            Assert.All(buffer.Take(got), s => Assert.True(TestSpikes.IsIntact(s, TestSpikes.SequenceOf(s)) && TestSpikes.SequenceOf(s) < 1000));
            got = rc.Drain(buffer);
            Assert.All(buffer.Take(got), s => Assert.True(TestSpikes.SequenceOf(s) >= 1_000_000));
        }

        b.Dispose();
        Assert.Equal(2, fabric.LeasedRings);
        using var again = fabric.LeaseAxon();
        Assert.Equal(3, fabric.LeasedRings);

        var payload = ArenaTests.Pattern(3000, seed: 9);
        var reference = fabric.Payloads.Write(payload);
        Assert.Equal(payload, fabric.Payloads.Read(reference).ToArray());
        Assert.Equal(4096, fabric.State.Length);
    }
}
