using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroMesh.Cluster;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Telemetry;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Simulation;

namespace NeuroMesh.Tests.Gpu;

/// <summary>
/// The GPU worker grain of each silo in a real 2-silo cluster, on ILGPU's CPU accelerator (the device every machine has;
/// the same path runs on CUDA): region shards go to the device by the offload policy, their spikes cross silos as CPU
/// shards' do, and a device that fails mid-run sends the run back to its last checkpoint on CpuEngine.
/// </summary>
[Collection(AcceleratorCollection.Name)]
public sealed class GpuWorkerTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-gpu-worker-").FullName;

    /// <summary>delta_delays for 8 ms: windows of 11 ticks across the two silos (the emulator pays milliseconds per kernel launch).</summary>
    private static NetworkSpec Spec() => ExamplesDirectory.Spec("delta_delays.json") with { Duration = 8 };

    private Task<EmbeddedCluster> StartAsync(string offload, string name, string device = "emulator", int snapshotEvery = 10) => EmbeddedCluster.StartAsync(2, new Dictionary<string, string?>
    {
        ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, $"{name}.db"),
        ["NeuroMesh:Gpu:Device"] = device,
        ["NeuroMesh:Gpu:Offload"] = offload,
        ["NeuroMesh:Gpu:MinNeurons"] = "0",
        ["NeuroMesh:Cluster:WindowTimeoutSeconds"] = "60",
        ["NeuroMesh:Snapshots:EveryCheckpoints"] = snapshotEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, CancellationToken.None);

    private static IGpuWorkerGrain Worker(EmbeddedCluster cluster, int silo)
        => cluster.Grains.GetGrain<IGpuWorkerGrain>(SiloKey.For(cluster.Services[silo].GetRequiredService<ILocalSiloDetails>().SiloAddress));

    [Fact]
    public Task Shards_handed_to_each_silos_device_give_the_single_engine_hash_and_say_where_they_ran()
        => OffloadAsync("emulator", "CpuEmulator");

    /// <summary>The same on a CUDA device (skipped without one; <c>deploy/gpu-check.sh</c> runs it).</summary>
    [SkippableFact]
    public Task On_cuda_shards_handed_to_each_silos_device_give_the_single_engine_hash()
    {
        Skip.IfNot(IlgpuEngine.IsPresent(IlgpuDevice.Cuda), "no CUDA device on this machine");
        return OffloadAsync("cuda", "Cuda");
    }

    private async Task OffloadAsync(string setting, string device)
    {
        var spec = Spec();
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await StartAsync("auto", "offload-" + setting, setting);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("gpu-offload-" + setting);
        await run.Deploy(spec.ToJson(), 2);
        await StepAsync(run, 11);
        await StepAsync(run, 11);
        var shards = await run.GetShards();
        Assert.Equal(2, shards.Count);
        Assert.All(shards, s => Assert.Contains($"IlgpuEngine on {device}", s.Engine));
        foreach (var silo in new[] { 0, 1 })
        {
            var worker = await Worker(cluster, silo).GetStatus();
            Assert.Equal(("auto", device, false, 1, 0), (worker.Offload, worker.Device, worker.DeviceLost, worker.ShardsOnDevice, worker.ShardsOnCpu));
            Assert.Contains("on the device", worker.LastDecision);
            Assert.Equal(1, cluster.Services[silo].GetRequiredService<SiloMetrics>().GpuShards);
        }

        var status = await StepToEndAsync(run);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Equal(0, status.Recoveries);
        shards = await run.GetShards();
        Assert.Equal(shards.Sum(s => s.SpikesSent), shards.Sum(s => s.SpikesReceived + s.SpikesPending));
        Assert.True(shards.Sum(s => s.SpikesSent) > 10, "spikes must cross between the device shards");

        // A finished run frees its shards: the devices hold none.
        Assert.All(await Task.WhenAll(Worker(cluster, 0).GetStatus(), Worker(cluster, 1).GetStatus()), w => Assert.Equal(0, w.ShardsOnDevice));
    }

    [Fact]
    public async Task Device_shards_write_engine_snapshots_and_a_replay_restores_them_on_the_device()
    {
        // A snapshot every 3 checkpoints (steps of one window): ticks 33 and 66 of the run's 80.
        var spec = Spec();
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await StartAsync("auto", "snapshots", snapshotEvery: 3);
        var run = cluster.Grains.GetGrain<ISimulationGrain>("gpu-snapshots");
        await run.Deploy(spec.ToJson(), 2);
        var status = await StepToEndAsync(run);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.All(await run.GetShards(), s => Assert.Contains("IlgpuEngine", s.Engine));
        Assert.Equal((2, 66L), (status.Snapshots, status.LastSnapshotTick));

        // The replay places the run on the devices again (no device was lost) and restores the snapshot of tick 66 there:
        // an engine that could not restore it would send the replay back to tick 0.
        var fromSnapshot = await run.Replay();
        Assert.Equal(66, fromSnapshot.FromTick);
        Assert.Equal([77L, 80L], fromSnapshot.Verified.Select(c => c.Tick));
        Assert.Equal((expected.Spikes, expected.Hash), (fromSnapshot.Spikes, fromSnapshot.SpikeTrainHash));
        var fromStart = await run.Replay(fromSnapshot: false);
        Assert.Equal((0L, 8), (fromStart.FromTick, fromStart.Verified.Count));
        Assert.Equal(expected.Hash, fromStart.SpikeTrainHash);
        Assert.All(await Task.WhenAll(Worker(cluster, 0).GetStatus(), Worker(cluster, 1).GetStatus()), w => Assert.Equal((false, 0L), (w.DeviceLost, w.Fallbacks)));
    }

    [Fact]
    public async Task A_device_lost_mid_run_falls_back_to_CpuEngine_from_the_last_checkpoint_with_the_unfailed_hash()
    {
        var spec = Spec();
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await StartAsync("auto", "fallback");
        var run = cluster.Grains.GetGrain<ISimulationGrain>("gpu-fallback");
        await run.Deploy(spec.ToJson(), 2);
        await StepAsync(run, 11);
        var checkpoint = await StepAsync(run, 11);
        Assert.True(await Worker(cluster, 0).InjectDeviceFault("test: device fell off the bus"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = await StepToEndAsync(run);
        output.WriteLine($"fallback run finished {clock.Elapsed.TotalSeconds:0.0} s after the fault; recoveries: {string.Join("; ", status.RecoveryHistory.Select(r => $"tick {r.Tick}: {r.Reason}"))}");
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));

        // The run's log records the fallback at the checkpoint it rolled back to.
        var recovery = Assert.Single(status.RecoveryHistory);
        Assert.Equal(checkpoint.Tick, recovery.Tick);
        Assert.Contains("fell back to CpuEngine", recovery.Reason);
        Assert.Contains("test: device fell off the bus", recovery.Reason);
        Assert.Empty(recovery.LostSilos);

        // The failed silo's worker marked its device lost and counted it (the neuromesh.gpu.fallbacks counter); its shard
        // now runs on CpuEngine, while the other silo's device still runs its shard.
        var failed = await Worker(cluster, 0).GetStatus();
        Assert.True(failed.DeviceLost);
        Assert.Contains("test: device fell off the bus", failed.LostReason);
        Assert.Equal(1, failed.Fallbacks);
        Assert.Equal(1, cluster.Services[0].GetRequiredService<SiloMetrics>().GpuFallbacks);
        Assert.Equal(0, cluster.Services[1].GetRequiredService<SiloMetrics>().GpuFallbacks);
        Assert.False((await Worker(cluster, 1).GetStatus()).DeviceLost);
        var silo0 = cluster.Services[0].GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        var shards = await run.GetShards();
        Assert.Contains("CpuEngine", Assert.Single(shards, s => s.Silo == silo0).Engine);
        Assert.Contains("IlgpuEngine", Assert.Single(shards, s => s.Silo != silo0).Engine);

        // A lost device takes no more faults, and later runs on that silo stay on CpuEngine.
        Assert.False(await Worker(cluster, 0).InjectDeviceFault("again"));
    }

    [Fact]
    public async Task A_device_that_fails_while_a_shard_is_built_leaves_that_shard_on_CpuEngine_and_the_run_unchanged()
    {
        var spec = Spec();
        var expected = SingleEngine.Reference(spec);
        await using var cluster = await StartAsync("auto", "build-failure");
        Assert.True(await Worker(cluster, 0).InjectDeviceFault("test: kernel load failed"));
        var run = cluster.Grains.GetGrain<ISimulationGrain>("gpu-build-failure");
        await run.Deploy(spec.ToJson(), 2);
        var status = await StepToEndAsync(run);
        Assert.Equal((expected.Spikes, expected.Hash), (status.Spikes, status.SpikeTrainHash));
        Assert.Empty(status.RecoveryHistory); // nothing ran on the failed device, so nothing rolls back

        var failed = await Worker(cluster, 0).GetStatus();
        Assert.True(failed.DeviceLost);
        Assert.Contains("test: kernel load failed", failed.LostReason);
        Assert.Equal(1, failed.Fallbacks);
        Assert.Contains("the device failed while the shard was built", failed.LastDecision);
        Assert.Equal(1, cluster.Services[0].GetRequiredService<SiloMetrics>().GpuFallbacks);
        var silo0 = cluster.Services[0].GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        var shards = await run.GetShards();
        Assert.Contains("CpuEngine", Assert.Single(shards, s => s.Silo == silo0).Engine);
        Assert.Contains("IlgpuEngine", Assert.Single(shards, s => s.Silo != silo0).Engine);
        Assert.False((await Worker(cluster, 1).GetStatus()).DeviceLost);
    }

    [Fact]
    public void Only_an_allocation_failure_is_taken_for_a_full_device()
    {
        Assert.True(GpuWorker.IsOutOfMemory(Cuda(ILGPU.Runtime.Cuda.CudaError.CUDA_ERROR_OUT_OF_MEMORY)));
        Assert.True(GpuWorker.IsOutOfMemory(new InvalidOperationException("upload", new OutOfMemoryException())));
        Assert.False(GpuWorker.IsOutOfMemory(Cuda(ILGPU.Runtime.Cuda.CudaError.CUDA_ERROR_LAUNCH_FAILED)));
        Assert.False(GpuWorker.IsOutOfMemory(new InvalidOperationException("no")));
    }

    /// <summary>
    /// The exception ILGPU throws for a failed CUDA call, with its error name. Its public constructor asks the CUDA driver
    /// for the message, which a machine without one lacks, so the object is made without it and given the name ILGPU sets.
    /// </summary>
    private static ILGPU.Runtime.Cuda.CudaException Cuda(ILGPU.Runtime.Cuda.CudaError error)
    {
        var e = (ILGPU.Runtime.Cuda.CudaException)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(ILGPU.Runtime.Cuda.CudaException));
        var field = typeof(ILGPU.Runtime.Cuda.CudaException).GetField($"<{nameof(e.Error)}>k__BackingField", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
        Assert.NotNull(field);
        field.SetValue(e, error.ToString());
        Assert.Equal(error.ToString(), e.Error);
        return e;
    }

    /// <summary>Steps of 11 ticks (one window) to the end.</summary>
    private static async Task<RunStatus> StepToEndAsync(ISimulationGrain run)
    {
        var status = await run.GetStatus();
        while (status.Phase != RunPhase.Finished)
        {
            status = await StepAsync(run, 11);
        }

        return status;
    }

    /// <summary>
    /// One step. On the emulator, under the load of the whole suite on 2 cores, a step (a recovery included) can outlast
    /// the client's 30 s call timeout while the grain goes on with it: then the run's status (the grain is reentrant for
    /// it) is polled until the step's ticks are done. Nothing is asked twice, and every assertion reads the run's log.
    /// </summary>
    private static async Task<RunStatus> StepAsync(ISimulationGrain run, long ticks)
    {
        var before = await run.GetStatus();
        try
        {
            return await run.Step(ticks);
        }
        catch (TimeoutException)
        {
            var target = Math.Min(before.Tick + ticks, before.TotalTicks);
            return await Eventually.Until(run.GetStatus, status => status.Tick >= target, $"the step whose call timed out to reach tick {target}", TimeSpan.FromMinutes(3));
        }
    }

    [Fact]
    public async Task Offload_gpu_refuses_a_network_the_kernels_cannot_run_with_the_reason_and_cpu_never_offloads()
    {
        var plain = Spec() with { Duration = 3 };
        var filtered = plain with
        {
            Projections = [.. plain.Projections.Select(p => p.Name != "E_all_E" ? p : p with { Filter = new FilterSpec { Kind = "type", Type = "excitatory" } })],
        };
        await using (var cluster = await StartAsync("gpu", "refuse"))
        {
            var run = cluster.Grains.GetGrain<ISimulationGrain>("gpu-refused");
            await run.Deploy(filtered.ToJson(), 2);
            var e = await Assert.ThrowsAnyAsync<Exception>(() => run.Step(10));
            Assert.Contains("NeuroMesh:Gpu:Offload is gpu", e.Message);
            Assert.Contains("dendritic filter", e.Message);
        }

        await using (var cluster = await StartAsync("cpu", "cpu"))
        {
            var run = cluster.Grains.GetGrain<ISimulationGrain>("gpu-cpu-policy");
            await run.Deploy(plain.ToJson(), 2);
            await run.Step(20);
            Assert.All(await run.GetShards(), s => Assert.Contains("CpuEngine", s.Engine));
            var worker = await Worker(cluster, 0).GetStatus();
            Assert.Equal(("cpu", "none", 0, 1), (worker.Offload, worker.Device, worker.ShardsOnDevice, worker.ShardsOnCpu));
            Assert.Contains("the offload policy is cpu", worker.LastDecision);
            Assert.False(await Worker(cluster, 0).InjectDeviceFault("nothing to fail"));
        }
    }

    [Fact]
    public async Task A_device_failure_crosses_silos_as_itself()
    {
        // The run's grain and the failed shard may be on different silos: the error must arrive as a device failure (with
        // its silo) for the run to fall back instead of waiting for its peers' window timeout.
        await using var cluster = await EmbeddedCluster.StartAsync(1, new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "codec.db") }, CancellationToken.None);
        var serializer = cluster.Services[0].GetRequiredService<Orleans.Serialization.Serializer>();
        var worker = cluster.Services[0].GetRequiredService<GpuWorker>();
        var lost = worker.Lost(new InjectedDeviceFaultException("the device fell off the bus"));
        var copy = Assert.IsType<GpuDeviceLostException>(serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(lost)));
        Assert.Equal(lost.Silo, copy.Silo);
        Assert.Contains("the device fell off the bus", copy.Message);
        Assert.True((await Worker(cluster, 0).GetStatus()).DeviceLost);
    }

    [Theory]
    [InlineData("NeuroMesh:Gpu:Offload", "fast")]
    [InlineData("NeuroMesh:Gpu:Device", "tpu")]
    [InlineData("NeuroMesh:Gpu:MinNeurons", "-1")]
    public async Task Invalid_gpu_settings_stop_the_silo_naming_the_setting(string key, string value)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => EmbeddedCluster.StartAsync(1, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "invalid.db"),
            [key] = value,
        }, CancellationToken.None));
        Assert.Contains(key, e.Message);
        Assert.Contains(value, e.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
