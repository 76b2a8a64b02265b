using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;
using NeuroMesh.Fabric.Wire;
using Orleans.Streams;

namespace NeuroMesh.Tests.Cluster;

public sealed class MeshIngressFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_and_mutated_frames_are_rejected_counted_and_never_delivered(int seed)
    {
        var ingress = new MeshIngress();
        var consumer = new RecordingConsumer();
        using var attached = ingress.Attach(consumer);
        var fuzz = MeshFrameFuzz.Create(seed, sender: 0xF00D, source: 7, validFrames: 2_000);

        foreach (var frame in fuzz.Frames)
        {
            ingress.Accept(new SpikeBatch(SpikeBatch.MeshChannel, frame));
        }

        var counters = ingress.Counters("test");
        Assert.Equal(fuzz.ValidFrames, counters.FramesAccepted);
        Assert.Equal(fuzz.Damaged, counters.RejectedTotal);
        Assert.Equal(0, counters.Gaps);
        Assert.Equal(fuzz.ValidSpikes, counters.SpikesDelivered);
        Assert.Equal((fuzz.ValidSpikes, fuzz.ValidSpikes - 1L, 0L, 0L), consumer.Of(7));
        Assert.Equal(new MeshReceipt((ulong)fuzz.ValidFrames, fuzz.ValidFrames, fuzz.ValidSpikes), ingress.Receipt(0xF00D));
        foreach (var reason in new[] { SpikeFrameRejection.Truncated, SpikeFrameRejection.TrailingBytes, SpikeFrameRejection.BadChecksum, SpikeFrameRejection.Replayed })
        {
            Assert.True(counters.Rejected.GetValueOrDefault(reason.ToString()) > 0, $"no frame was rejected as {reason}");
        }
    }

    [Fact]
    public void Spikes_without_a_consumer_or_with_a_throwing_one_are_counted_not_lost()
    {
        var ingress = new MeshIngress();
        ingress.Accept(new SpikeBatch(SpikeBatch.MeshChannel, SpikeFrame.Encode(1, 1, 0, 0, MeshSpikes.Make(1, 0, 5))));
        using (ingress.Attach(new ThrowingConsumer()))
        {
            ingress.Accept(new SpikeBatch(SpikeBatch.MeshChannel, SpikeFrame.Encode(1, 2, 0, 0, MeshSpikes.Make(1, 5, 3))));
            Assert.Throws<InvalidOperationException>(() => ingress.Attach(new RecordingConsumer()));
        }

        var counters = ingress.Counters("test");
        Assert.Equal((8L, 5L, 3L, 0L), (counters.SpikesAccepted, counters.SpikesNoConsumer, counters.SpikesConsumerFaulted, counters.SpikesDelivered));
        Assert.Equal(new MeshReceipt(2, 2, 8), ingress.Receipt(1));
    }

    private sealed class ThrowingConsumer : IMeshSpikeConsumer
    {
        public void Deliver(ulong sender, ReadOnlySpan<NeuroMesh.Spikes.Spike> spikes) => throw new InvalidOperationException("consumer failure");
    }
}

[Collection(MeshClusterCollection.Name)]
public sealed class MeshStreamFuzzTests(MeshClusterFixture fixture)
{
    [Fact]
    public async Task Damaged_frames_on_a_real_spike_stream_are_rejected_by_the_receiving_silo_and_never_delivered()
    {
        var (a, b) = (fixture.Silos[0], fixture.Silos[1]);
        var before = b.Ingress.Counters("b");
        var fuzz = MeshFrameFuzz.Create(seed: 11, sender: 0xBAD5EED, source: 900, validFrames: 300);

        var stream = SpikeStreams.Open(a.Services.GetRequiredKeyedService<IStreamProvider>(SpikeStreams.ProviderName), SiloKey.For(b.Address));
        foreach (var frame in fuzz.Frames)
        {
            await stream.OnNextAsync(new SpikeBatch(SpikeBatch.MeshChannel, frame));
        }

        await Eventually.True(
            () => b.Ingress.Counters("b") is var now && now.FramesAccepted + now.RejectedTotal - before.FramesAccepted - before.RejectedTotal == fuzz.Frames.Count,
            "the receiving silo has judged every frame");
        var after = b.Ingress.Counters("b");
        Assert.Equal(fuzz.ValidFrames, after.FramesAccepted - before.FramesAccepted);
        Assert.Equal(fuzz.Damaged, after.RejectedTotal - before.RejectedTotal);
        Assert.Equal((fuzz.ValidSpikes, fuzz.ValidSpikes - 1L, 0L, 0L), b.Consumer.Of(900));
        Assert.Equal(0, a.Consumer.Of(900).Count + fixture.Silos[2].Consumer.Of(900).Count);
    }
}
