using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;

namespace NeuroMesh.Tests.Cluster;

[Collection(MeshClusterCollection.Name)]
public sealed class MeshTrafficTests(MeshClusterFixture fixture)
{
    [Fact]
    public async Task Spikes_sent_between_silos_arrive_intact_in_order_with_exact_accounting()
    {
        var (a, b, c) = (fixture.Silos[0], fixture.Silos[1], fixture.Silos[2]);
        var before = (ab: a.Outbox.Counters(b.Address), ac: a.Outbox.Counters(c.Address), ba: b.Outbox.Counters(a.Address));
        var ingressBefore = await Ingress(b).GetCounters();

        // Three streams at once, in both directions, from concurrent producers and in uneven chunks.
        await Task.WhenAll(
            Send(a, b, source: 101, total: 60_000, chunk: 700),
            Send(a, b, source: 102, total: 40_000, chunk: 33),
            Send(a, c, source: 103, total: 25_000, chunk: 1_000),
            Send(b, a, source: 104, total: 30_000, chunk: 500));

        await Eventually.True(() => a.Outbox.Counters(b.Address).InFlight == 0 && a.Outbox.Counters(c.Address).InFlight == 0 && b.Outbox.Counters(a.Address).InFlight == 0,
            "every lane has nothing in flight",
            observe: () => $"{a.Outbox.Counters(b.Address)} {a.Outbox.Counters(c.Address)} {b.Outbox.Counters(a.Address)} b: {b.Ingress.Counters("b").Gaps} gaps");

        var ab = a.Outbox.Counters(b.Address);
        Assert.Equal(100_000, ab.Sent - before.ab.Sent);
        Assert.Equal(100_000, ab.Delivered - before.ab.Delivered);
        Assert.Equal(0, ab.Dropped - before.ab.Dropped);
        Assert.Equal(25_000, a.Outbox.Counters(c.Address).Delivered - before.ac.Delivered);
        Assert.Equal(30_000, b.Outbox.Counters(a.Address).Delivered - before.ba.Delivered);

        AssertReceived(b.Consumer, 101, 60_000);
        AssertReceived(b.Consumer, 102, 40_000);
        AssertReceived(c.Consumer, 103, 25_000);
        AssertReceived(a.Consumer, 104, 30_000);
        Assert.Equal(0, c.Consumer.Of(101).Count + a.Consumer.Of(101).Count);

        // The receiver's own account, read through its grain, agrees with the sender's.
        var ingress = await Ingress(b).GetCounters();
        Assert.Equal(100_000, ingress.SpikesDelivered - ingressBefore.SpikesDelivered);
        Assert.Equal(ingressBefore.RejectedTotal, ingress.RejectedTotal);
        Assert.Equal(ingressBefore.Gaps, ingress.Gaps);
        Assert.InRange(ab.MaxBatchesInFlight, 1, MeshClusterFixture.MaxBatchesInFlight);
    }

    [Fact]
    public async Task Overload_in_agent_mode_throttles_the_producers_and_loses_nothing()
    {
        var (a, b) = (fixture.Silos[2], fixture.Silos[1]);
        var before = a.Outbox.Counters(b.Address);

        // 16 producers offer 400k spikes as fast as they can: far more than the 4096-spike outbox and 8-batch window hold.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(p => Send(a, b, source: (uint)(200 + p), total: 25_000, chunk: 2_000)));
        await Eventually.True(() => a.Outbox.Counters(b.Address).InFlight == 0, "the lane has nothing in flight");

        var after = a.Outbox.Counters(b.Address);
        Assert.True(after.ThrottledSends > before.ThrottledSends, "the producers never had to wait, so nothing was overloaded");
        Assert.Equal(400_000, after.Delivered - before.Delivered);
        Assert.Equal(0, after.Dropped - before.Dropped);
        Assert.InRange(after.MaxPending, 1, MeshClusterFixture.OutboxSpikes);
        Assert.InRange(after.MaxBatchesInFlight, 1, MeshClusterFixture.MaxBatchesInFlight);
        for (var p = 0u; p < 16; p++)
        {
            AssertReceived(b.Consumer, 200 + p, 25_000);
        }
    }

    [Fact]
    public async Task Overload_in_simulation_mode_counts_the_drops_and_delivers_the_rest_in_order()
    {
        var (a, c) = (fixture.Silos[1], fixture.Silos[2]);
        var before = a.Outbox.Counters(c.Address);

        // Post never waits: 300k spikes offered in one synchronous burst cannot all fit.
        const int Offered = 300_000;
        var spikes = MeshSpikes.Make(300, 0, Offered);
        long taken = 0;
        for (var i = 0; i < Offered; i += 1_000)
        {
            taken += a.Outbox.Post(c.Address, spikes.AsSpan(i, 1_000));
        }

        await Eventually.True(() => a.Outbox.Counters(c.Address).InFlight == 0, "the lane has nothing in flight");

        var after = a.Outbox.Counters(c.Address);
        var dropped = after.DroppedOutboxFull - before.DroppedOutboxFull;
        Assert.Equal(Offered, after.Sent - before.Sent);
        Assert.True(dropped > 0, "nothing was dropped, so the outbox was never full");
        Assert.Equal(Offered - taken, dropped);
        Assert.Equal(taken, after.Delivered - before.Delivered);
        Assert.InRange(after.MaxPending, 1, MeshClusterFixture.OutboxSpikes);
        Assert.InRange(after.MaxBatchesInFlight, 1, MeshClusterFixture.MaxBatchesInFlight);

        var received = c.Consumer.Of(300);
        Assert.Equal(taken, received.Count);
        Assert.Equal((0L, 0L), (received.Damaged, received.OutOfOrder));
    }

    [Fact]
    public async Task The_grain_call_transport_delivers_with_the_same_exact_accounting()
    {
        var (a, b) = (fixture.Silos[0], fixture.Silos[2]);
        var grains = a.Services.GetRequiredService<IGrainFactory>();
        var options = new MeshClusterOptions { MaxBatchSpikes = MeshClusterFixture.MaxBatchSpikes, MaxBatchesInFlight = MeshClusterFixture.MaxBatchesInFlight, OutboxSpikes = MeshClusterFixture.OutboxSpikes };
        await using var outbox = new SiloOutbox(new GrainCallMeshTransport(grains), options, sender: 0xCA11);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(p => Send(outbox, b, source: (uint)(400 + p), total: 10_000, chunk: 1_000)));
        await Eventually.True(() => outbox.Counters(b.Address).InFlight == 0, "the lane has nothing in flight");

        var counters = outbox.Counters(b.Address);
        Assert.Equal((50_000L, 50_000L, 0L), (counters.Sent, counters.Delivered, counters.Dropped));
        Assert.InRange(counters.MaxBatchesInFlight, 1, MeshClusterFixture.MaxBatchesInFlight);
        for (var p = 0u; p < 5; p++)
        {
            AssertReceived(b.Consumer, 400 + p, 10_000);
        }

        Assert.Equal(50_000, b.Ingress.Receipt(0xCA11).Spikes);
    }

    private IMeshIngressGrain Ingress(MeshSilo silo) => fixture.Cluster.GrainFactory.GetGrain<IMeshIngressGrain>(SiloKey.For(silo.Address));

    private static Task Send(MeshSilo from, MeshSilo to, uint source, int total, int chunk) => Send(from.Outbox, to, source, total, chunk);

    private static async Task Send(SiloOutbox outbox, MeshSilo to, uint source, int total, int chunk)
    {
        var spikes = MeshSpikes.Make(source, 0, total);
        for (var i = 0; i < total; i += chunk)
        {
            await outbox.SendAsync(to.Address, spikes.AsMemory(i, Math.Min(chunk, total - i)));
        }
    }

    private static void AssertReceived(RecordingConsumer consumer, uint source, int count)
    {
        var received = consumer.Of(source);
        Assert.Equal((count, count - 1L, 0L, 0L), received);
    }
}
