using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Hosting;
using NeuroMesh.Persistence;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Support;
using Orleans.Core.Internal;

namespace NeuroMesh.Tests.Simulation;

/// <summary>
/// A run whose log holds a checkpoint twice, as the chaos soak found after a SIGKILL: a write that landed lost its
/// acknowledgement, and the recovering run logged the same window again.
/// </summary>
public sealed class DuplicateCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-duplicate-checkpoint-").FullName;

    [Fact]
    public async Task A_checkpoint_logged_twice_counts_once_and_the_run_ends_and_replays_with_the_single_engine_hash()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 60 };
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await EmbeddedCluster.StartAsync(1, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db"),
        }, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("duplicate-checkpoint");
        await run.Deploy(spec.ToJson(), 1);
        var first = await run.Step(200);

        // The repeated write: the checkpoint's own event, appended again as a batch of its own.
        var store = cluster.Services[0].GetRequiredService<IDeltaLogStore>();
        var stream = run.GetGrainId().ToString();
        DeltaRecord? checkpoint = null;
        await foreach (var record in store.ReadAsync(stream))
        {
            checkpoint = record.Type.Contains("RunCheckpointed", StringComparison.Ordinal) ? record : checkpoint;
        }

        Assert.NotNull(checkpoint);
        var head = (await store.GetStreamAsync(stream))!.Version;
        await store.AppendAsync(stream, head, DeltaBatch.Create(new Delta(checkpoint.Type, checkpoint.Payload.ToArray())));

        // A new activation reads the log with the copy in it.
        await run.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var reread = await Eventually.Until(run.GetStatus, s => s.Activation != first.Activation, "a new activation of the run");
        Assert.Equal((200L, 1, 1), (reread.Tick, reread.Checkpoints, reread.DuplicateCheckpoints));
        Assert.Equal([200L], (await run.GetCheckpoints()).Select(c => c.Tick));

        var status = await run.Step(spec.TotalTicks);
        Assert.Equal((RunPhase.Finished, expected.Spikes, expected.Hash), (status.Phase, status.Spikes, status.SpikeTrainHash));
        Assert.Equal((2, 1), (status.Checkpoints, status.DuplicateCheckpoints));
        var replay = await run.Replay(fromSnapshot: false);
        Assert.Equal((2, expected.Hash), (replay.Verified.Count, replay.SpikeTrainHash));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
