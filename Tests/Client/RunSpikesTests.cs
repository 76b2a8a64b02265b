using System.Globalization;
using NeuroMesh.Client;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Client;

/// <summary>A run's recorded spikes: kept per window, capped, and rebuilt from the log after the silo that held them is gone.</summary>
public sealed class RunSpikesTests
{
    private static long Key(long tick, int neuron) => (tick << 32) | (uint)neuron;

    [Fact]
    public void The_recording_keeps_windows_in_order_skips_what_a_replay_feeds_again_and_stops_whole_at_its_cap()
    {
        var recording = new SpikeRecording(capacity: 5);
        recording.Append(0, 10, [Key(1, 4), Key(7, 2)]);
        recording.Append(10, 10, [Key(12, 1)]);
        recording.Append(0, 10, [Key(1, 4), Key(7, 2)]);            // a replay from tick 0: already here
        recording.Append(5, 10, [Key(7, 2), Key(12, 1)]);           // overlapping: nothing new
        recording.Append(15, 10, [Key(16, 0), Key(21, 3)]);         // overlapping: only ticks 20.. are new
        Assert.Equal((25L, 4, false), (recording.ToTick, recording.Count, recording.Capped));

        var (ticks, neurons, next) = recording.Read(0, long.MaxValue, 0, int.MaxValue, -1, 3);
        Assert.Equal(new long[] { 1, 7, 12 }, ticks);
        Assert.Equal(new[] { 4, 2, 1 }, neurons);
        Assert.Equal(Key(12, 1), next);
        (ticks, neurons, next) = recording.Read(0, long.MaxValue, 0, int.MaxValue, next, 3);
        Assert.Equal((21L, 3, -1L), (Assert.Single(ticks), Assert.Single(neurons), next));
        (ticks, neurons, _) = recording.Read(5, 22, 2, 4, -1, 10);
        Assert.Equal(new long[] { 7, 21 }, ticks);
        Assert.Equal(new[] { 2, 3 }, neurons);

        recording.Append(25, 10, [Key(26, 0), Key(27, 0)]);          // 6 > 5: the whole window is refused, and all after it
        recording.Append(35, 10, []);
        Assert.Equal((25L, 4, true), (recording.ToTick, recording.Count, recording.Capped));
    }

    [Fact]
    public async Task Spikes_are_read_back_after_the_cluster_restarts_by_replaying_the_runs_log()
    {
        var dir = Directory.CreateTempSubdirectory("neuromesh-spikes-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(dir, "log.db") };
            var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 40 };
            SpikePage before;
            await using (var cluster = await EmbeddedCluster.StartAsync(1, settings, CancellationToken.None))
            await using (var client = await Connect(cluster))
            {
                var run = client.Run("restarted");
                await run.Deploy(spec);
                await run.Step(300);
                before = await run.Spikes(new SpikeQuery { Limit = SpikeQuery.MaxLimit });
                Assert.NotEmpty(before.Ticks);
            }

            await using (var cluster = await EmbeddedCluster.StartAsync(1, settings, CancellationToken.None))
            await using (var client = await Connect(cluster))
            {
                var after = await client.Run("restarted").Spikes(new SpikeQuery { Limit = SpikeQuery.MaxLimit });
                Assert.Equal(before.Ticks.Zip(before.Neurons), after.Ticks.Zip(after.Neurons));
                Assert.Equal((300L, 300L), (after.RecordedToTick, after.RunTick));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task<NeuroMeshClient> Connect(EmbeddedCluster cluster) => NeuroMeshClient.ConnectAsync(new NeuroMeshClientOptions
    {
        Gateways = [$"127.0.0.1:{cluster.GatewayPorts[0].ToString(CultureInfo.InvariantCulture)}"],
        ClusterId = cluster.ClusterId,
        ServiceId = cluster.ClusterId,
    });
}
