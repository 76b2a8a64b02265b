using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Hosting;
using NeuroMesh.Simulation;
using NeuroMesh.Snapshots;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Simulation;

/// <summary>
/// Engine snapshots in a lockstep run on an embedded cluster: written every N checkpoints to the store beside the delta
/// log, kept by the retention policy, and used by replay and recovery, which then reproduce only the checkpoints after
/// the snapshot and reach the same hash as a replay from tick 0 and as one engine.
/// </summary>
public sealed class SnapshotRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-snapshots-").FullName;

    private Dictionary<string, string?> Settings(string name, int every = 2, int keep = 2) => new()
    {
        ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, name, "log.db"),
        ["NeuroMesh:Snapshots:EveryCheckpoints"] = every.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NeuroMesh:Snapshots:Keep"] = keep.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NeuroMesh:Cluster:WindowTimeoutSeconds"] = "20",
    };

    [Fact]
    public async Task Replay_from_the_latest_snapshot_matches_replay_from_tick_0_and_checks_only_the_checkpoints_after_it()
    {
        // STDP on E→E, so the checkpoints after a snapshot also check the plastic weights' digests.
        var spec = EngineSnapshotTests.Network("stdp") with { Duration = 700 };
        Assert.Equal(7000, spec.TotalTicks);
        var expected = SingleEngine.Reference(spec);

        await using var cluster = await EmbeddedCluster.StartAsync(3, Settings("stdp"), CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("stdp-snapshots");
        await run.Deploy(spec.ToJson(), 2);
        var status = await RunSteps.ToEndAsync(run);

        // Checkpoints 2, 4 and 6 wrote snapshots; with Keep = 2 the one of tick 2000 was dropped from the log and the store.
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal((2, 6000L), (status.Snapshots, status.LastSnapshotTick));
        Assert.True(status.SnapshotBytes > 0 && status.SnapshotStallMs > 0, $"{status.SnapshotBytes} bytes, stall {status.SnapshotStallMs} ms");
        var store = new DirectorySnapshotStore(Path.Combine(_dir, "stdp", "snapshots"));
        Assert.Equal([4000L, 6000L], await store.ListAsync("stdp-snapshots"));
        Assert.Equal(status.SnapshotBytes, await store.SizeAsync("stdp-snapshots"));

        var fromStart = await run.Replay(fromSnapshot: false);
        Assert.Equal((0L, 7), (fromStart.FromTick, fromStart.Verified.Count));
        var fromSnapshot = await run.Replay();
        Assert.Equal(6000, fromSnapshot.FromTick);
        Assert.Equal([7000L], fromSnapshot.Verified.Select(c => c.Tick));
        Assert.Equal((expected.Spikes, expected.Hash), (fromSnapshot.Spikes, fromSnapshot.SpikeTrainHash));
        Assert.Equal(64, fromSnapshot.Snapshot.Length);

        // Written by 2 shards, restored onto 3 and onto 1.
        foreach (var silos in new[] { 3, 1 })
        {
            var rescaled = await run.Replay(toTick: 5000, silos: silos);
            Assert.Equal((4000L, silos), (rescaled.FromTick, rescaled.Silos));
            Assert.Equal([5000L], rescaled.Verified.Select(c => c.Tick));
            Assert.Equal(fromStart.Verified.Single(c => c.Tick == 5000).SpikeTrainHash, rescaled.SpikeTrainHash);
        }

        // A damaged snapshot is passed over for the one before it; with none left the replay starts at tick 0.
        var latest = Path.Combine(store.Root, "stdp-snapshots", "000000006000.nmsnap");
        var bytes = await File.ReadAllBytesAsync(latest);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(latest, bytes);
        var pastDamage = await run.Replay();
        Assert.Equal(4000, pastDamage.FromTick);
        Assert.Equal([5000L, 6000L, 7000L], pastDamage.Verified.Select(c => c.Tick));
        Assert.Equal(expected.Hash, pastDamage.SpikeTrainHash);
        await store.DeleteAsync("stdp-snapshots", 4000);
        var none = await run.Replay();
        Assert.Equal((0L, 7, expected.Hash), (none.FromTick, none.Verified.Count, none.SpikeTrainHash));
    }

    [Fact]
    public async Task Retention_compacts_the_runs_log_and_a_restarted_node_still_replays_every_checkpoint()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 600 };
        var expected = SingleEngine.Reference(spec);
        var settings = Settings("compact", every: 1, keep: 2);
        var stream = string.Empty;
        long version;
        await using (var cluster = await EmbeddedCluster.StartAsync(1, settings, CancellationToken.None))
        {
            var run = cluster.Grains.GetGrain<ISimulationGrain>("compacted");
            stream = run.GetGrainId().ToString();
            await run.Deploy(spec.ToJson());
            while ((await run.Step(1000)).Phase != RunPhase.Finished)
            {
                await run.Pause(); // each snapshot is logged before the next is due, so none is skipped
            }

            var info = (await cluster.Services[0].GetRequiredService<NeuroMesh.Persistence.IDeltaLogStore>().GetStreamAsync(stream))!;
            version = info.Version;
            output.WriteLine($"log version {info.Version}, truncated through {info.TruncatedThrough}, snapshot at {info.SnapshotVersion}");
            Assert.True(info.TruncatedThrough > 0, "retention dropped snapshots, so the log must have been compacted");
            Assert.True(info.SnapshotVersion >= info.TruncatedThrough, "a state snapshot covers every removed delta");
        }

        // A node started over the same log and store rebuilds the run from the state snapshot and the deltas after it.
        await using var restarted = await EmbeddedCluster.StartAsync(1, settings, CancellationToken.None);
        var again = restarted.Grains.GetGrain<ISimulationGrain>("compacted");
        var status = await again.GetStatus();
        Assert.Equal((RunPhase.Finished, 6, expected.Hash), (status.Phase, status.Checkpoints, status.SpikeTrainHash));
        var fromStart = await again.Replay(fromSnapshot: false);
        Assert.Equal((6, expected.Hash), (fromStart.Verified.Count, fromStart.SpikeTrainHash));
        Assert.Equal(6000, (await again.Replay()).FromTick);
        Assert.Equal(version, (await restarted.Services[0].GetRequiredService<NeuroMesh.Persistence.IDeltaLogStore>().GetStreamAsync(stream))!.Version);
    }

    [Fact]
    public async Task A_run_that_loses_a_silo_recovers_from_its_snapshot_and_the_recovery_names_it()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 400 };
        var expected = SingleEngine.Reference(spec);
        var settings = Settings("lost", every: 1, keep: 0);
        settings["NeuroMesh:Cluster:LockstepTransport"] = "Calls";
        await using var cluster = await EmbeddedCluster.StartAsync(3, settings, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("lost-with-snapshot");
        await run.Deploy(spec.ToJson(), 3);
        await run.Step(1000);
        await run.Step(1000);
        await run.Pause(); // logs the snapshot of tick 2000 once written
        Assert.Equal((2, 2000L), ((await run.GetStatus()).Snapshots, (await run.GetStatus()).LastSnapshotTick));
        await LostSiloTests.MoveTo(cluster.Grains, run, cluster.Services[0].GetRequiredService<ILocalSiloDetails>().SiloAddress);
        Assert.Equal(3, (await run.Place()).Silos);
        var activation = (await run.GetStatus()).Activation;

        await cluster.StopSiloAsync(2);
        var (status, failures) = await RunSteps.ToEndThroughLossAsync(run);

        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(2, status.Silos);
        if (status.Activation == activation)
        {
            var recovery = Assert.Single(status.RecoveryHistory);
            Assert.Equal((2000L, 2000L), (recovery.Tick, recovery.SnapshotTick));
        }
        else
        {
            output.WriteLine($"the run's grain was rebuilt ({activation} -> {status.Activation}); {failures} step(s) failed");
        }
    }

    [Theory]
    [InlineData("Push")]
    [InlineData("Calls")]
    public async Task A_run_rescaled_2_to_3_and_3_to_2_keeps_the_single_engine_hash(string transport)
    {
        var spec = EngineSnapshotTests.Network("stdp") with { Duration = 500 };
        var expected = SingleEngine.Reference(spec);
        var settings = Settings($"rescale-{transport}", every: 10);
        settings["NeuroMesh:Cluster:LockstepTransport"] = transport;
        await using var cluster = await EmbeddedCluster.StartAsync(3, settings, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>($"rescale-{transport}");
        await run.Deploy(spec.ToJson(), 2);
        Assert.Equal(2, (await run.Step(2000)).Silos);

        // No snapshot is due (every 10 checkpoints): the move takes one at tick 2000 and restores it on 3 silos.
        var up = await run.Rescale(3);
        Assert.Equal((3, 2000L, 2000L), (up.Silos, up.Tick, up.LastSnapshotTick));
        Assert.Equal(3, (await run.GetShards()).Select(s => s.Silo).Distinct().Count());
        await run.Step(1000);
        await run.Start();
        var down = await run.Rescale(2); // while running in the background: held at its checkpoint, moved, carries on
        Assert.Equal(2, down.Silos);
        var status = await Eventually.Until(run.GetStatus, s => s.Phase != RunPhase.Running, "the rescaled run to end", TimeSpan.FromSeconds(120));
        Assert.Equal(RunPhase.Finished, status.Phase);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));

        // Every checkpoint (hash and plastic-weight digest) of the moved run reproduces from tick 0.
        var replay = await run.Replay(fromSnapshot: false);
        Assert.Equal((status.Checkpoints, expected.Hash), (replay.Verified.Count, replay.SpikeTrainHash));
    }

    [Fact]
    public async Task A_run_on_one_silo_rescaled_to_three_keeps_the_single_engine_hash()
    {
        var spec = EngineSnapshotTests.Network("stdp") with { Duration = 400 };
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await EmbeddedCluster.StartAsync(3, Settings("rescale-1-3", every: 10), CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("rescale-1-3");
        await run.Deploy(spec.ToJson(), 1);
        Assert.Equal(1, (await run.Step(2000)).Silos);
        Assert.Equal(3, (await run.Rescale(3)).Silos);
        var status = await RunSteps.ToEndAsync(run);

        Assert.Equal((3, expected.Spikes, expected.Hash), (status.Silos, status.Spikes, status.SpikeTrainHash));
        Assert.Equal(3, (await run.Replay(fromSnapshot: false)).Verified.Count); // 2000, 3000, 4000, weights included
    }

    [Fact]
    public async Task A_rescale_to_no_silos_or_more_than_the_cluster_has_is_refused_and_nothing_changes()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 300 };
        await using var cluster = await EmbeddedCluster.StartAsync(2, Settings("rescale-bad"), CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("rescale-bad");
        await run.Deploy(spec.ToJson(), 2);
        var before = await run.Step(1000);

        Assert.Contains("1 to 2 silo(s)", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.Rescale(0))).Message);
        Assert.Contains("the cluster has 2 active silo(s)", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.Rescale(3))).Message);
        var after = await run.GetStatus();
        Assert.Equal((before.Tick, before.Silos, before.SpikeTrainHash, before.Snapshots), (after.Tick, after.Silos, after.SpikeTrainHash, after.Snapshots));
        await run.Stop();
        Assert.Contains("stopped", (await Assert.ThrowsAsync<InvalidOperationException>(() => run.Rescale(1))).Message);
    }

    [Fact]
    public async Task A_fork_with_no_change_reproduces_the_parent_and_a_changed_drive_differs_only_after_the_fork()
    {
        var spec = EngineSnapshotTests.Network("stdp") with { Duration = 500 };
        await using var cluster = await EmbeddedCluster.StartAsync(2, Settings("fork", every: 2, keep: 0), CancellationToken.None);
        var parent = cluster.Grains.GetGrain<ISimulationGrain>("parent");
        await parent.Deploy(spec.ToJson(), 2);
        await RunSteps.ToEndAsync(parent);

        var expected = await parent.GetCheckpoints();
        var same = cluster.Grains.GetGrain<ISimulationGrain>("same");
        var forked = await same.Fork("parent", 2000);
        Assert.Equal((2000L, 2000L, "parent"), (forked.Tick, forked.BaseTick, forked.ForkedFrom));
        await RunSteps.ToEndAsync(same);

        Assert.Equal(expected.Where(c => c.Tick >= 2000), await same.GetCheckpoints());

        // A stronger drive from tick 2000: the same state at 2000, other spikes after it.
        var changed = cluster.Grains.GetGrain<ISimulationGrain>("changed");
        await changed.Fork("parent", 2000, sets: ["stimuli.drive_E.rate=40"], silos: 1);
        var after = await changed.Step(1000);
        var ours = await changed.GetCheckpoints();
        Assert.Equal(expected.Single(c => c.Tick == 2000), ours[0]);
        Assert.NotEqual(expected.Single(c => c.Tick == 3000).SpikeTrainHash, after.SpikeTrainHash);
        Assert.Contains("\"rate\": 40", await changed.GetSpec() ?? string.Empty);

        // Its replay from the start begins at the snapshot it was forked from.
        var replay = await changed.Replay(fromSnapshot: false);
        Assert.Equal((2000L, 1, after.SpikeTrainHash), (replay.FromTick, replay.Verified.Count, replay.SpikeTrainHash));
    }

    [Fact]
    public async Task A_snapshot_exported_from_2_silos_imports_into_another_run_on_1_and_continues_identically()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 400 };
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await EmbeddedCluster.StartAsync(2, Settings("export", every: 2), CancellationToken.None);
        var source = cluster.Grains.GetGrain<ISimulationGrain>("source");
        await source.Deploy(spec.ToJson(), 2);
        await source.Step(1000);
        await source.Step(1000);
        await source.Pause();
        var file = await source.ExportSnapshot(2000);

        var copy = cluster.Grains.GetGrain<ISimulationGrain>("copy");
        var imported = await copy.Import(file, 1);
        Assert.Equal((2000L, "source"), (imported.Tick, imported.ForkedFrom));
        var status = await RunSteps.ToEndAsync(copy);

        Assert.Equal((1, expected.Spikes, expected.Hash), (status.Silos, status.Spikes, status.SpikeTrainHash));
    }

    [Fact]
    public async Task Forks_and_imports_that_cannot_be_made_are_refused_with_the_reason_and_change_nothing()
    {
        var spec = EngineSnapshotTests.Network("stdp") with { Duration = 300 };
        await using var cluster = await EmbeddedCluster.StartAsync(1, Settings("refused", every: 2), CancellationToken.None);
        var parent = cluster.Grains.GetGrain<ISimulationGrain>("p");
        await parent.Deploy(spec.ToJson());
        await parent.Step(1000);
        await parent.Step(1000);
        await parent.Pause();
        var child = cluster.Grains.GetGrain<ISimulationGrain>("child");

        var noSnapshot = await Assert.ThrowsAsync<ArgumentException>(() => child.Fork("p", 1500));
        Assert.Contains("no snapshot of tick 1500", noSnapshot.Message);
        Assert.Contains("ticks 2000", noSnapshot.Message);
        var badPath = await Assert.ThrowsAsync<ArgumentException>(() => child.Fork("p", 2000, sets: ["populations.X.size=3"]));
        Assert.Contains("nothing at 'populations.X'", badPath.Message);
        var invalid = await Assert.ThrowsAsync<ArgumentException>(() => child.Fork("p", 2000, sets: ["populations.E.params.tauM=-1"]));
        Assert.Contains("invalid", invalid.Message);
        var structural = await Assert.ThrowsAsync<ArgumentException>(() => child.Fork("p", 2000, sets: ["projections.E_all_E.rule.n=40"]));
        Assert.Contains("another spec or seed", structural.Message);

        var file = await parent.ExportSnapshot(2000);
        var tampered = (byte[])file.Clone();
        tampered[^40] ^= 1;
        Assert.Contains("truncated or altered", (await Assert.ThrowsAsync<ArgumentException>(() => child.Import(tampered))).Message);
        Assert.Contains("truncated", (await Assert.ThrowsAsync<ArgumentException>(() => child.Import(file[..(file.Length / 2)]))).Message);
        Assert.Equal(RunPhase.Empty, (await child.GetStatus()).Phase);
        Assert.Contains("already has a spec", (await Assert.ThrowsAsync<InvalidOperationException>(() => parent.Import(file))).Message);
    }

    [Fact]
    public async Task With_snapshots_off_nothing_is_written_and_replay_starts_at_tick_0()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 300 };
        await using var cluster = await EmbeddedCluster.StartAsync(1, Settings("off", every: 0), CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("no-snapshots");
        await run.Deploy(spec.ToJson());
        await run.Step(3000);
        var status = await run.GetStatus();
        Assert.Equal((0, -1L), (status.Snapshots, status.LastSnapshotTick));
        Assert.False(Directory.Exists(Path.Combine(_dir, "off", "snapshots")));
        var replay = await run.Replay();
        Assert.Equal((0L, 1), (replay.FromTick, replay.Verified.Count));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
