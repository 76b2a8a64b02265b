using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

[Trait("Tier", "Unit")]
public class AxonTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    [InlineData(-8)]
    public void Capacity_must_be_a_power_of_two(int capacity)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Axon(new AxonOptions { Capacity = capacity }));
        Assert.Contains("power of two", e.Message);
        Assert.Contains(capacity.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void High_water_mark_above_capacity_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Axon(new AxonOptions { Capacity = 8, HighWaterMark = 9 }));
        Assert.Contains("HighWaterMark", e.Message);
    }

    [Fact]
    public unsafe void Slots_are_64_byte_aligned_native_memory()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 16 });
        Assert.Equal(0, axon.SlotsAddress % 64);
    }

    [Fact]
    public void Spikes_come_out_in_order_and_intact_across_many_wraps()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 8, Overflow = OverflowPolicy.Block });
        using var reader = axon.CreateReader();
        for (long i = 0; i < 1000; i++)
        {
            axon.Publish(TestSpikes.Make(i));
            Assert.True(reader.TryRead(out var spike));
            Assert.True(TestSpikes.IsIntact(spike, i));
        }

        Assert.False(reader.TryRead(out _));
        Assert.Equal(new AxonReaderCounters(1000, 1000, 0, 0, 0), reader.Counters);
    }

    [Fact]
    public void Batch_publish_and_drain_wrap_around_the_ring_end()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 16, Overflow = OverflowPolicy.Block });
        using var reader = axon.CreateReader();
        var batch = new Spike[11];
        var output = new Spike[16];
        long next = 0;
        long expected = 0;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = TestSpikes.Make(next++);
            }

            axon.PublishBatch(batch);
            var got = reader.Drain(output);
            Assert.Equal(batch.Length, got);
            for (var i = 0; i < got; i++)
            {
                Assert.True(TestSpikes.IsIntact(output[i], expected++));
            }
        }

        Assert.True(reader.Counters.Balances);
    }

    [Fact]
    public void Every_reader_sees_every_spike_and_a_clone_starts_where_its_source_is()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 64, Overflow = OverflowPolicy.Block });
        using var a = axon.CreateReader();
        using var b = axon.CreateReader();
        for (long i = 0; i < 10; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }

        for (long i = 0; i < 4; i++)
        {
            Assert.True(a.TryRead(out var spike));
            Assert.True(TestSpikes.IsIntact(spike, i));
        }

        using var clone = a.Clone();
        Assert.Equal(4, clone.Cursor);
        Assert.True(clone.TryRead(out var first));
        Assert.True(TestSpikes.IsIntact(first, 4));
        Assert.Equal(10, b.Drain(new Spike[32]));
        Assert.Equal(6, a.Drain(new Spike[32]));

        // A new reader starts at the head: it sees nothing of the past.
        using var late = axon.CreateReader();
        Assert.Equal(10, late.Cursor);
        Assert.False(late.TryRead(out _));
        Assert.Equal(4, axon.Counters.Readers);
    }

    [Fact]
    public void Handler_drain_reads_in_place_and_runs_feedback_once_per_batch()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 32, Overflow = OverflowPolicy.Block });
        using var reader = axon.CreateReader();
        for (long i = 0; i < 20; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }

        Assert.Equal(SlotState.Ready, reader.GetSlotState(0));
        Assert.Equal(SlotState.Free, reader.GetSlotState(20));
        var handler = new LifecycleProbe { Reader = reader };
        Assert.Equal(12, reader.Drain(ref handler, maxCount: 12));
        Assert.Equal(12, handler.Seen);
        Assert.True(handler.AllConsuming);
        Assert.Equal(1, handler.Batches);
        Assert.Equal(SlotState.Feedback, handler.StateAtBatchEnd);
        Assert.Equal((0L, 12), handler.LastBatch);
        Assert.Equal(SlotState.Free, reader.GetSlotState(11));
        Assert.Equal(SlotState.Ready, reader.GetSlotState(12));
        Assert.Equal(new AxonReaderCounters(20, 12, 0, 0, 8), reader.Counters);
    }

    [Fact]
    public void A_throwing_handler_consumes_through_the_spike_that_threw_and_keeps_the_rest()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 32, Overflow = OverflowPolicy.Block });
        using var reader = axon.CreateReader();
        for (long i = 0; i < 10; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }

        var handler = new ThrowAt { At = 3 };
        Assert.Throws<InvalidOperationException>(() => reader.Drain(ref handler));
        Assert.Equal(4, reader.Cursor);
        Assert.True(reader.TryRead(out var next));
        Assert.True(TestSpikes.IsIntact(next, 4));
        Assert.True(reader.Counters.Balances);
    }

    [Fact]
    public void Overwrite_policy_drops_the_oldest_and_counts_them_per_reader()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 8, Overflow = OverflowPolicy.Overwrite });
        using var reader = axon.CreateReader();
        for (long i = 0; i < 100; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }

        var output = new Spike[16];
        var got = reader.Drain(output);

        // The slot of (published - capacity) may be under the producer's pen, so capacity - 1 survive.
        Assert.Equal(7, got);
        for (var i = 0; i < got; i++)
        {
            Assert.True(TestSpikes.IsIntact(output[i], 93 + i));
        }

        Assert.Equal(new AxonReaderCounters(100, 7, 93, 0, 0), reader.Counters);
        Assert.Equal(0, axon.Counters.HighWaterHits);
    }

    [Fact]
    public void Block_policy_times_out_with_a_clear_error_and_counts_the_refusal()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 4, Overflow = OverflowPolicy.Block, PublishTimeout = TimeSpan.FromMilliseconds(30) });
        using var reader = axon.CreateReader();
        for (long i = 0; i < 4; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }

        Assert.False(axon.TryPublish(TestSpikes.Make(4), TimeSpan.FromMilliseconds(20)));
        var e = Assert.Throws<AxonFullException>(() => axon.Publish(TestSpikes.Make(4)));
        Assert.Contains("Axon full", e.Message);
        Assert.Equal(1, e.Refused);
        var partial = axon.TryPublishBatch(new Spike[3], TimeSpan.Zero);
        Assert.Equal(0, partial);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => axon.TryPublish(TestSpikes.Make(4), Timeout.InfiniteTimeSpan, cts.Token));

        var counters = axon.Counters;
        Assert.Equal(4, counters.Published);
        Assert.Equal(5, counters.RejectedTimeout);
        Assert.Equal(1, counters.RejectedCancelled);
        Assert.True(counters.HighWaterHits >= 4);
        Assert.Equal(10, counters.Offered);

        // Nothing that was refused reached the reader, and everything published did.
        Assert.Equal(4, reader.Drain(new Spike[8]));
        Assert.True(axon.TryPublish(TestSpikes.Make(4), TimeSpan.Zero));
    }

    [Fact]
    public void High_water_mark_throttles_before_the_ring_is_full()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 16, HighWaterMark = 5, Overflow = OverflowPolicy.Block });
        using var reader = axon.CreateReader();
        var published = axon.TryPublishBatch(new Spike[16], TimeSpan.Zero);
        Assert.Equal(5, published);
        Assert.Equal(11, axon.Counters.RejectedTimeout);
    }

    [Fact]
    public void Detaching_counts_what_was_in_flight_as_dropped()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 16, Overflow = OverflowPolicy.Block });
        var reader = axon.CreateReader();
        for (long i = 0; i < 10; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }

        Assert.True(reader.TryRead(out _));
        reader.Dispose();
        Assert.Equal(new AxonReaderCounters(10, 1, 0, 9, 0), reader.Counters);
        Assert.True(reader.IsDetached);
        Assert.Throws<ObjectDisposedException>(() => reader.TryRead(out _));
        Assert.Equal(0, axon.ReaderCount);

        // With no reader left, a Block ring no longer holds the producer back.
        for (long i = 0; i < 100; i++)
        {
            axon.Publish(TestSpikes.Make(i));
        }
    }

    [Theory]
    [InlineData(WaitStrategy.BusySpin)]
    [InlineData(WaitStrategy.SpinWait)]
    [InlineData(WaitStrategy.YieldThenPark)]
    public async Task WaitFor_wakes_when_a_spike_arrives_and_times_out_when_none_does(WaitStrategy strategy)
    {
        using var axon = new Axon(new AxonOptions { Capacity = 16, WaitStrategy = strategy });
        using var reader = axon.CreateReader();
        Assert.False(reader.WaitFor(TimeSpan.FromMilliseconds(20)));

        using var waiting = new ManualResetEventSlim();
        var waiter = Task.Factory.StartNew(
            () =>
            {
                waiting.Set();
                return reader.WaitFor(TimeSpan.FromSeconds(30));
            },
            TaskCreationOptions.LongRunning);
        Assert.True(waiting.Wait(TimeSpan.FromSeconds(30)), "the waiter thread did not start");
        if (strategy == WaitStrategy.YieldThenPark)
        {
            // The wake-up under test is the parked one: publish only once the reader has spun out and parked.
            await Eventually.Until(() => Volatile.Read(ref axon.ParkedCount), parked => parked == 1, "the reader to park");
        }

        // Nothing was published yet, so the waiter cannot have returned: it is still waiting (spinning, or parked).
        Assert.False(waiter.IsCompleted, "WaitFor returned before anything was published");
        axon.Publish(TestSpikes.Make(0));
        Assert.True(await waiter);
        Assert.True(reader.TryRead(out var spike));
        Assert.True(TestSpikes.IsIntact(spike, 0));

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => reader.WaitFor(Timeout.InfiniteTimeSpan, cts.Token));
    }

    [Fact]
    public void Publishing_after_dispose_is_a_clear_error()
    {
        var axon = new Axon();
        axon.Dispose();
        Assert.Throws<ObjectDisposedException>(() => axon.Publish(default));
        Assert.Throws<ObjectDisposedException>(() => axon.CreateReader());
    }

    [Fact]
    public async Task A_batch_larger_than_the_ring_wakes_parked_readers_before_it_waits_for_room()
    {
        // The reader parks before anything is published; the batch fills the ring and must wake it, or the producer
        // would wait for room that only the sleeping reader can make.
        using var axon = new Axon(new AxonOptions { Capacity = 16, Overflow = OverflowPolicy.Block, WaitStrategy = WaitStrategy.YieldThenPark, PublishTimeout = TimeSpan.FromSeconds(30) });
        using var reader = axon.CreateReader();
        var received = 0L;
        var consumer = Task.Factory.StartNew(
            () =>
            {
                var buffer = new Spike[4];
                while (received < 1000 && reader.WaitFor(TimeSpan.FromSeconds(30)))
                {
                    received += reader.Drain(buffer);
                }
            },
            TaskCreationOptions.LongRunning);

        // Let the reader spin out and park.
        await Eventually.Until(() => Volatile.Read(ref axon.ParkedCount), parked => parked == 1, "the reader to park");

        var batch = Enumerable.Range(0, 1000).Select(i => TestSpikes.Make(i)).ToArray();
        Assert.Equal(1000, axon.TryPublishBatch(batch, TimeSpan.FromSeconds(5)));
        await consumer;
        Assert.Equal(1000, received);
        Assert.Equal(0, axon.Counters.RejectedTimeout);
    }

    private struct LifecycleProbe : ISpikeHandler
    {
        public AxonReader Reader;
        public int Seen;
        public bool AllConsuming;
        public int Batches;
        public SlotState StateAtBatchEnd;
        public (long First, int Count) LastBatch;

        public void OnSpike(in Spike spike, long sequence)
        {
            AllConsuming = (Seen == 0 || AllConsuming) && Reader.GetSlotState(sequence) == SlotState.Consuming && TestSpikes.IsIntact(spike, sequence);
            Seen++;
        }

        public void OnBatchEnd(long firstSequence, int count)
        {
            Batches++;
            StateAtBatchEnd = Reader.GetSlotState(firstSequence);
            LastBatch = (firstSequence, count);
        }
    }

    private struct ThrowAt : ISpikeHandler
    {
        public long At;

        public readonly void OnSpike(in Spike spike, long sequence)
        {
            if (sequence == At)
            {
                throw new InvalidOperationException("behaviour failed");
            }
        }

        public readonly void OnBatchEnd(long firstSequence, int count)
        {
        }
    }
}
