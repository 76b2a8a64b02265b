using System.Net;
using NeuroMesh.Cluster;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Hosting;

namespace NeuroMesh.Tests.Cluster;

/// <summary>The outbox against an in-memory transport that hands frames straight to a receiving <see cref="MeshIngress"/>.</summary>
public sealed class SiloOutboxTests
{
    private static readonly SiloAddress Destination = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 1);

    [Fact]
    public async Task A_full_batch_is_flushed_at_once_and_the_remainder_when_its_deadline_passes()
    {
        var transport = new LoopbackTransport();
        await using var outbox = new SiloOutbox(transport, Options(maxBatch: 100, flushMicros: 200_000), sender: 5);

        await outbox.SendAsync(Destination, MeshSpikes.Make(1, 0, 250));
        await Eventually.True(() => outbox.Counters(Destination).InFlight == 0, "all 250 spikes are delivered");

        Assert.Equal([100, 100, 50], transport.FrameSizes);
        Assert.Equal((250L, 249L, 0L, 0L), transport.Consumer.Of(1));
    }

    [Fact]
    public async Task Batches_in_flight_stay_within_the_window_and_the_producer_waits_until_receipts_free_it()
    {
        var transport = new LoopbackTransport { ReceiptsHeld = true };
        await using var outbox = new SiloOutbox(transport, Options(maxBatch: 10, flushMicros: 0, window: 4, outbox: 50), sender: 5);

        var send = outbox.SendAsync(Destination, MeshSpikes.Make(2, 0, 1_000)).AsTask();
        await Eventually.True(() => outbox.Counters(Destination) is { Batches: 4, Pending: 50 }, "the window and the outbox are full");
        Assert.False(send.IsCompleted);
        Assert.Equal(4, transport.FrameSizes.Count);

        transport.ReceiptsHeld = false;
        await send;
        await Eventually.True(() => outbox.Counters(Destination).InFlight == 0, "all 1000 spikes are delivered");
        var counters = outbox.Counters(Destination);
        Assert.Equal((1_000L, 1_000L, 0L), (counters.Sent, counters.Delivered, counters.Dropped));
        Assert.Equal(4, counters.MaxBatchesInFlight);
        Assert.Equal(50, counters.MaxPending);
        Assert.True(counters.ThrottledSends > 0);
        Assert.Equal((1_000L, 999L, 0L, 0L), transport.Consumer.Of(2));
    }

    [Fact]
    public async Task Frames_lost_on_the_way_are_counted_as_lost_including_the_last_one()
    {
        // Frames 2 and 3 (the last) vanish after their enqueue succeeded, as a memory queue's cache can when the queue moves.
        var transport = new LoopbackTransport { Lose = sequence => sequence is 2 or 3 };
        await using var outbox = new SiloOutbox(transport, Options(maxBatch: 10, flushMicros: 0), sender: 5);

        await outbox.SendAsync(Destination, MeshSpikes.Make(3, 0, 30));
        await Eventually.True(() => outbox.Counters(Destination).InFlight == 0, "every spike is delivered or counted lost");

        var counters = outbox.Counters(Destination);
        Assert.Equal((30L, 10L, 20L), (counters.Sent, counters.Delivered, counters.DroppedLost));
        Assert.Equal(10, transport.Consumer.Of(3).Count);
    }

    [Fact]
    public async Task Closing_the_outbox_counts_the_spikes_it_could_not_send_and_refuses_more()
    {
        var transport = new LoopbackTransport { ReceiptsHeld = true };
        var outbox = new SiloOutbox(transport, Options(maxBatch: 10, flushMicros: 0, window: 4, outbox: 50), sender: 5);
        await outbox.SendAsync(Destination, MeshSpikes.Make(4, 0, 90));
        await Eventually.True(() => outbox.Counters(Destination) is { Batches: 4, Pending: 50 }, "the window and the outbox are full");

        await outbox.DisposeAsync();

        var counters = outbox.Counters(Destination);
        Assert.Equal((90L, 0L, 50L, 40L), (counters.Sent, counters.Delivered, counters.DroppedClosed, counters.InFlight));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await outbox.SendAsync(Destination, MeshSpikes.Make(4, 90, 1)));
    }

    [Fact]
    public async Task A_destination_silo_that_leaves_counts_every_unacknowledged_spike_as_lost_once_and_takes_no_more()
    {
        var transport = new LoopbackTransport { ReceiptsHeld = true };
        await using var outbox = new SiloOutbox(transport, Options(maxBatch: 10, flushMicros: 0, window: 4, outbox: 50), sender: 5);
        await outbox.SendAsync(Destination, MeshSpikes.Make(6, 0, 90));
        await Eventually.True(() => outbox.Counters(Destination) is { Batches: 4, Pending: 50 }, "the window and the outbox are full");

        // The lane's next receipt read is held in the transport while the silo is declared lost, then answered with the real
        // receipt (the 40 spikes the destination accepted): a late receipt for the dead silo's spikes.
        var lateReceipt = transport.HoldNextReceipt();
        await transport.ReceiptHeld.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(90, outbox.DestinationLost(Destination));
        Assert.Equal(0, outbox.DestinationLost(Destination));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await outbox.SendAsync(Destination, MeshSpikes.Make(6, 90, 1)));
        lateReceipt.SetResult();

        // Disposing waits for the lane's receipt loop to end, so the late receipt has been applied (or ignored) by then.
        await outbox.DisposeAsync();
        Assert.Equal(40, transport.LateReceiptSpikes);
        var counters = outbox.Counters(Destination);
        Assert.Equal((90L, 0L, 90L, 0L, 0L), (counters.Sent, counters.Delivered, counters.DroppedSiloLost, counters.DroppedClosed, counters.InFlight));
        Assert.True(counters.DestinationLost, "the lane says its destination left the cluster");
    }

    [Fact]
    public async Task A_destination_that_left_before_any_spike_was_sent_to_it_gets_no_lane_and_nothing_is_sent_or_counted()
    {
        var transport = new LoopbackTransport();
        await using var outbox = new SiloOutbox(transport, Options(maxBatch: 10, flushMicros: 0), sender: 5);

        Assert.Equal(0, outbox.DestinationLost(Destination));

        Assert.Throws<ObjectDisposedException>(() => outbox.Post(Destination, MeshSpikes.Make(7, 0, 3)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await outbox.SendAsync(Destination, MeshSpikes.Make(7, 3, 3)));
        var counters = outbox.Counters(Destination);
        Assert.Equal((0L, 0L, 0L, true), (counters.Sent, counters.Dropped, counters.InFlight, counters.DestinationLost));
        Assert.Empty(outbox.AllCounters());
        Assert.Empty(transport.FrameSizes);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_setting_named()
    {
        var problem = Assert.Throws<ArgumentException>(() => new SiloOutbox(new LoopbackTransport(), Options(maxBatch: 100, flushMicros: 0, outbox: 50), 1));
        Assert.Contains("NeuroMesh:Cluster:OutboxSpikes", problem.Message, StringComparison.Ordinal);
    }

    private static MeshClusterOptions Options(int maxBatch, int flushMicros, int window = 64, int outbox = 65_536)
        => new() { MaxBatchSpikes = maxBatch, FlushMicros = flushMicros, MaxBatchesInFlight = window, OutboxSpikes = outbox };

    private sealed class LoopbackTransport : IMeshTransport
    {
        private readonly MeshIngress _ingress = new();
        private readonly object _gate = new();
        private readonly List<int> _sizes = [];
        private readonly TaskCompletionSource _receiptHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _holdReceipt;
        private long _lateReceiptSpikes = -1;
        private int _held;

        public LoopbackTransport() => _ingress.Attach(Consumer);

        public RecordingConsumer Consumer { get; } = new();

        public Func<ulong, bool> Lose { get; init; } = _ => false;

        public bool ReceiptsHeld { get => Volatile.Read(ref _held) != 0; set => Volatile.Write(ref _held, value ? 1 : 0); }

        public List<int> FrameSizes
        {
            get
            {
                lock (_gate)
                {
                    return [.. _sizes];
                }
            }
        }

        public Task<MeshReceipt?> SendAsync(SiloAddress destination, SpikeBatch batch)
        {
            var header = System.Runtime.InteropServices.MemoryMarshal.Read<SpikeFrameHeader>(batch.Frame);
            lock (_gate)
            {
                if (header.Count > 0)
                {
                    _sizes.Add((int)header.Count);
                }

                if (!Lose(header.Sequence))
                {
                    _ingress.Accept(batch);
                }
            }

            return Task.FromResult<MeshReceipt?>(null);
        }

        /// <summary>Completes when a receipt read waits on the gate <see cref="HoldNextReceipt"/> returned.</summary>
        public Task ReceiptHeld => _receiptHeld.Task;

        /// <summary>The spikes the held receipt covered when it was answered; -1 until then.</summary>
        public long LateReceiptSpikes => Interlocked.Read(ref _lateReceiptSpikes);

        /// <summary>The next receipt read waits until the returned gate is completed, then answers with the real receipt.</summary>
        public TaskCompletionSource HoldNextReceipt()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _holdReceipt, gate);
            return gate;
        }

        public async Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender)
        {
            if (Interlocked.Exchange(ref _holdReceipt, null) is { } gate)
            {
                _receiptHeld.TrySetResult();
                await gate.Task;
                var late = _ingress.Receipt(sender);
                Interlocked.Exchange(ref _lateReceiptSpikes, late.Spikes);
                return late;
            }

            return ReceiptsHeld ? MeshReceipt.None : _ingress.Receipt(sender);
        }
    }
}
