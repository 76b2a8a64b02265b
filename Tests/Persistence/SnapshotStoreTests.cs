using NeuroMesh.Hosting;
using NeuroMesh.Simulation;
using NeuroMesh.Snapshots;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Simulation;

namespace NeuroMesh.Tests.Persistence;

/// <summary>Both snapshot stores keep the same contract, against a real folder and a real PostgreSQL.</summary>
public sealed class SnapshotStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-snapshot-store-").FullName;

    private ISnapshotStore Store(string backend) => backend == "directory"
        ? new DirectorySnapshotStore(Path.Combine(_dir, "snapshots"))
        : new PostgresSnapshotStore(TestPostgres.ConnectionString(), TestPostgres.NewSchema());

    [SkippableTheory]
    [InlineData("directory")]
    [InlineData("postgres")]
    public async Task A_store_saves_replaces_lists_sizes_and_deletes_snapshots_by_run_and_tick(string backend)
    {
        var store = Store(backend);
        const string run = "runs/a b:c"; // slashes, spaces and colons stay one run
        var small = new byte[] { 1, 2, 3 };
        var large = new byte[(9 << 20) + 17]; // more than two PostgreSQL chunks
        new Random(3).NextBytes(large);

        Assert.Null(await store.LoadAsync(run, 1000));
        Assert.Empty(await store.ListAsync(run));
        await store.SaveAsync(run, 2000, small);
        await store.SaveAsync(run, 1000, large);
        await store.SaveAsync("other", 1000, small);
        Assert.Equal(large, await store.LoadAsync(run, 1000));
        Assert.Equal(small, await store.LoadAsync(run, 2000));
        Assert.Equal([1000L, 2000L], await store.ListAsync(run));
        Assert.Equal(large.Length + small.Length, await store.SizeAsync(run));

        await store.SaveAsync(run, 1000, small); // replaces, whole
        Assert.Equal(small, await store.LoadAsync(run, 1000));
        await store.DeleteAsync(run, 1000);
        await store.DeleteAsync(run, 1000); // nothing left: no error
        Assert.Null(await store.LoadAsync(run, 1000));
        Assert.Equal([2000L], await store.ListAsync(run));
        Assert.Equal(small, await store.LoadAsync("other", 1000));
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_directory_save_leaves_no_temporary_file_and_replaces_atomically()
    {
        var store = new DirectorySnapshotStore(Path.Combine(_dir, "atomic"));
        await store.SaveAsync("r", 5, new byte[1000]);
        await store.SaveAsync("r", 5, new byte[10]);
        var files = Directory.GetFiles(Path.Combine(store.Root, "r"));
        Assert.Equal(["000000000005.nmsnap"], files.Select(Path.GetFileName));
        Assert.Equal(10, new FileInfo(files[0]).Length);
    }

    [SkippableFact]
    public async Task A_cluster_on_PostgreSQL_keeps_its_snapshots_there_and_replays_from_them()
    {
        var database = await TestPostgres.NewDatabaseAsync();
        var spec = EngineSnapshotTests.Network("stdp") with { Duration = 400 };
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Backend"] = "postgres",
            ["NeuroMesh:DeltaLog:ConnectionString"] = database,
            ["NeuroMesh:Snapshots:EveryCheckpoints"] = "2",
        }, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("pg-snapshots");
        await run.Deploy(spec.ToJson(), 2);
        var status = await RunSteps.ToEndAsync(run);

        Assert.Equal(expected.Hash, status.SpikeTrainHash);
        Assert.Equal((2, 4000L), (status.Snapshots, status.LastSnapshotTick));
        var store = new PostgresSnapshotStore(database);
        await using (store)
        {
            Assert.Equal([2000L, 4000L], await store.ListAsync("pg-snapshots"));
        }

        var fromStart = await run.Replay(toTick: 3000, fromSnapshot: false);
        var fromSnapshot = await run.Replay(toTick: 3000);
        Assert.Equal((0L, 2000L), (fromStart.FromTick, fromSnapshot.FromTick));
        Assert.Equal([3000L], fromSnapshot.Verified.Select(c => c.Tick));
        Assert.Equal(fromStart.SpikeTrainHash, fromSnapshot.SpikeTrainHash);
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "data", "snapshots", "pg-snapshots")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
