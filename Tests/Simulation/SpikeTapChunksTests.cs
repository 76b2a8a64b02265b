using NeuroMesh.Engine;
using NeuroMesh.Simulation;

namespace NeuroMesh.Tests.Simulation;

/// <summary>How a checkpoint's spikes are cut into tap batches that fit a stream message.</summary>
[Trait("Tier", "Unit")]
public class SpikeTapChunksTests
{
    [Fact]
    public void A_small_or_empty_advance_is_one_batch_over_its_whole_range()
    {
        Assert.Equal([(100L, 200L, 0, 0)], SpikeTapChunks.Split(100, 200, []));
        SpikeRecord[] few = [new(100, 3), new(150, 1), new(150, 2)];
        Assert.Equal([(100L, 200L, 0, 3)], SpikeTapChunks.Split(100, 200, few, max: 3));
    }

    [Fact]
    public void A_busy_advance_is_cut_between_ticks_into_contiguous_batches_that_hold_every_spike()
    {
        // Ticks 0..99 of [0, 120), tick t with t % 7 spikes: 294 spikes, at most 20 per batch.
        var spikes = Enumerable.Range(0, 100).SelectMany(t => Enumerable.Range(0, t % 7).Select(n => new SpikeRecord(t, n))).ToArray();
        var batches = SpikeTapChunks.Split(0, 120, spikes, max: 20).ToArray();

        Assert.True(batches.Length >= 15, $"{batches.Length} batches");
        Assert.Equal(0, batches[0].From);
        Assert.Equal(120, batches[^1].To);
        for (var b = 0; b < batches.Length; b++)
        {
            var (from, to, start, count) = batches[b];
            Assert.InRange(count, 1, 20);
            Assert.All(spikes.AsSpan(start, count).ToArray(), s => Assert.InRange(s.Tick, from, to - 1));
            if (b > 0)
            {
                Assert.Equal(batches[b - 1].To, from);
                Assert.Equal(batches[b - 1].Start + batches[b - 1].Count, start);
            }
        }

        Assert.Equal(spikes.Length, batches.Sum(b => b.Count));
    }

    [Fact]
    public void A_tick_with_more_spikes_than_a_batch_holds_is_cut_inside_the_tick()
    {
        // Tick 5 has 50 spikes, max 20: the spikes before it go out, then 20 + 20 + 10 of tick 5 (the last with what follows).
        SpikeRecord[] spikes = [new(2, 0), .. Enumerable.Range(0, 50).Select(n => new SpikeRecord(5, n)), new(8, 1)];
        var batches = SpikeTapChunks.Split(0, 10, spikes, max: 20).ToArray();
        Assert.Equal([(0L, 5L, 0, 1), (5L, 6L, 1, 20), (5L, 6L, 21, 20), (5L, 10L, 41, 11)], batches);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpikeTapChunks.Split(0, 10, spikes, max: 0).ToArray());
    }
}
