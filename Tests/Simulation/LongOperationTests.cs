using Orleans.Configuration;
using NeuroMesh.Hosting;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Simulation;

/// <summary>
/// Calls whose length grows with the run are not cut off by the messaging response timeout: with that timeout at one
/// second, a step and a replay that each take longer still finish (before, Orleans ended them with a TimeoutException).
/// </summary>
public sealed class LongOperationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-long-").FullName;

    [Fact]
    public async Task A_step_and_a_replay_longer_than_the_response_timeout_finish_with_the_single_engine_hash()
    {
        var settings = new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db"),
            ["NeuroMesh:Cluster:EngineThreads"] = "1",
        };
        var timeout = TimeSpan.FromSeconds(1);
        await using var cluster = await EmbeddedCluster.StartAsync(2, settings, CancellationToken.None,
            silo => silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout));

        // Longer and longer runs of CUBA on 2 silos, until one step and its replay each outlast the timeout: the test
        // proves something only then, whatever the machine's speed.
        for (var seconds = 2; ; seconds *= 2)
        {
            var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 1000 * seconds };
            var run = cluster.Grains.GetGrain<ISimulationGrain>($"long-{seconds}");
            await run.Deploy(spec.ToJson(), 2);
            await run.Place();

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var status = await run.Step(spec.TotalTicks);
            var stepped = clock.Elapsed;
            clock.Restart();
            var replay = await run.Replay(silos: 2);
            var replayed = clock.Elapsed;

            var (spikes, hash, _) = SingleEngine.Reference(spec);
            Assert.Equal((RunPhase.Finished, spikes, hash), (status.Phase, status.Spikes, status.SpikeTrainHash));
            Assert.Equal((spikes, hash), (replay.Spikes, replay.SpikeTrainHash));
            if (stepped > timeout && replayed > timeout)
            {
                return;
            }

            Assert.True(seconds < 64, $"{seconds} s of CUBA stepped in {stepped} and replayed in {replayed}, never longer than {timeout}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly.
        }
    }
}
