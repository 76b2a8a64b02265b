using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using Orleans.Streams;

namespace NeuroMesh.Tests.Cluster;

/// <summary>
/// Frames still addressed to a silo that has left the cluster must not hold up the other silos' frames that share their
/// stream queue. A pulling agent that meets a stream for the first time looks up its consumer before it reads the queue
/// any further; the consumer of a departed silo's stream is that silo's ingress, which can be placed nowhere, and Orleans
/// retries that lookup for a minute, with every other stream of the queue waiting behind it. Lockstep windows (10 s in
/// the lost-silo tests) timed out on it three times in a row after a silo loss whenever the departed silo's stream and a
/// live one shared a queue.
/// </summary>
public sealed class DepartedSiloStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-departed-").FullName;

    [Fact]
    public async Task Frames_for_a_departed_silo_are_drained_and_counted_and_do_not_hold_up_a_live_silos_frames_in_the_same_queue()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db"),
            ["NeuroMesh:Cluster:Queues"] = "1", // every silo's stream in one queue: what two streams of eight queues often share
        }, CancellationToken.None);
        var live = cluster.Services[0].GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var departed = cluster.Services[1].GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var router = cluster.Services[0].GetRequiredService<FabricIngressRouter>();
        var sink = new CountingSink();
        using var registration = router.Register("test/departed/live", sink);

        await cluster.StopSiloAsync(1);
        var membership = cluster.Services[0].GetRequiredService<IClusterMembershipService>();
        await Eventually.True(() => membership.CurrentSnapshot.GetSiloStatus(departed) == SiloStatus.Dead, "the stopped silo is dead to the survivor");
        var drainedBefore = router.DroppedSiloLeft;

        // The departed silo's stream carries its first frame only now, so the queue's agent must find that stream's
        // consumer before it reads the queue again. The live silo's frame comes later (the agent polls every millisecond,
        // so it has read the first one by then; had both come in one read, the live one would not wait).
        var provider = cluster.Services[0].GetRequiredKeyedService<IStreamProvider>(SpikeStreams.ProviderName);
        await PublishAsync(SpikeStreams.Open(provider, SiloKey.For(departed)), new SpikeBatch("test/departed/gone", [1, 2, 3]));
        await Task.Delay(500);
        await PublishAsync(SpikeStreams.Open(provider, SiloKey.For(live)), new SpikeBatch("test/departed/live", [4, 5, 6]));

        // Well inside the minute for which the lookup used to hold the queue.
        await Eventually.True(() => sink.Batches.Count == 1, "the live silo's frame arrives", TimeSpan.FromSeconds(20), () => $"drained {router.DroppedSiloLeft - drainedBefore}, no sink {router.DroppedNoSink}");
        Assert.Equal([4, 5, 6], Assert.Single(sink.Batches).Frame);
        await Eventually.True(() => router.DroppedSiloLeft > drainedBefore, "the departed silo's frame is counted as dropped for a departed silo", TimeSpan.FromSeconds(20));

        // The drain ran on the survivor, so the survivor's own ingress reports the drop (read between two reads of the
        // router, since a late mesh frame to the departed silo may add to it meanwhile).
        var low = router.DroppedSiloLeft;
        var counters = await cluster.Grains.GetGrain<IFabricIngressGrain>(SiloKey.For(live)).GetCounters();
        Assert.InRange(counters.DroppedSiloLeft, low, router.DroppedSiloLeft);
    }

    /// <summary>Publishes, retrying a call that failed because the queue's grain was on the silo that left.</summary>
    private static async Task PublishAsync(IAsyncStream<SpikeBatch> stream, SpikeBatch batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await stream.OnNextAsync(batch);
                return;
            }
            catch (Exception) when (attempt < 5)
            {
                await Task.Delay(200);
            }
        }
    }

    private sealed class CountingSink : ISpikeBatchSink
    {
        public ConcurrentQueue<SpikeBatch> Batches { get; } = new();

        public void Accept(SpikeBatch batch) => Batches.Enqueue(batch);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
