using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Client;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Synapses;
using NeuroMesh.Tests.Neurons;
using NeuroMesh.Tests.Support;
using Orleans.Core.Internal;

namespace NeuroMesh.Tests.Agents;

/// <summary>
/// WebAssembly modules deployed at run time through the .NET client onto a two-silo cluster: stored by hash in the delta
/// log, bound by hash on either silo, refused with the reason and nothing stored, and hot-swapped under load.
/// </summary>
public sealed class WasmDeploymentTests(WasmDeployClusterFixture fixture) : IClassFixture<WasmDeployClusterFixture>
{
    private NeuroMeshClient Client => new(fixture.Cluster.Client);

    [Fact]
    public async Task A_module_deployed_through_the_client_runs_on_neurons_bound_by_its_hash_on_every_silo()
    {
        var module = await Client.DeployWasmModule(WasmModuleBinaries.Counter);
        Assert.Equal(WasmRuntime.HashOf(WasmModuleBinaries.Counter), module.Hash);
        Assert.Equal("wasm:" + module.Hash, module.Behaviour);
        Assert.Equal((WasmModuleBinaries.Counter.Length, 0), (module.SizeBytes, module.StateVersion));
        Assert.Equal(["init", "on_spike"], module.Exports.ToArray());
        var again = await Client.DeployWasmModule(WasmModuleBinaries.Counter);
        var described = await Client.DescribeWasmModule(module.Hash.ToUpperInvariant());
        Assert.Equal((module.Hash, module.SizeBytes), (again.Hash, again.SizeBytes));
        Assert.Equal((module.Hash, module.SizeBytes), (described!.Hash, described.SizeBytes));

        // One chain sender → counter → sink per silo, in a region that silo's mesh hosts.
        var silos = fixture.Silos.Select(s => s.SiloAddress).ToArray();
        for (var s = 0; s < silos.Length; s++)
        {
            var region = WasmDeployClusterFixture.RegionOn("deploy/bind", silos[s], silos);
            var (sender, counter, sink) = await Chain(2000 + (uint)(10 * s), region, module.Behaviour);
            var info = await counter.Inspect();
            Assert.Equal(module.Behaviour, info.Behaviour);
            Assert.Equal(silos[s].ToParsableString(), (await counter.GetActivity()).Silo);
            await Send(sender, 3, sink.GetPrimaryKeyLong(), expected: 3);
            Assert.Equal(3, await counter.FlushState());
        }

        // Both silos compiled it, though only one stored it: the other fetched it from the module store.
        Assert.All(fixture.Silos, s => Assert.True(WasmDeployClusterFixture.RuntimeOf(s).IsCached(module.Hash)));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { nameof(WasmModuleBinaries.Malformed), "not a valid WebAssembly module" },
        { nameof(WasmModuleBinaries.UndeclaredImport), "wasi_snapshot_preview1.fd_write" },
        { nameof(WasmModuleBinaries.AbiVersion2), "its abi_version is 2; this host speaks version 1" },
        { "Oversize", "over the 4194304-byte limit (NeuroMesh:Wasm:MaxModuleBytes)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_module_is_named_with_its_reason_and_nothing_is_stored_or_bound(string which, string reason)
    {
        var bytes = which switch
        {
            nameof(WasmModuleBinaries.Malformed) => WasmModuleBinaries.Malformed,
            nameof(WasmModuleBinaries.UndeclaredImport) => WasmModuleBinaries.UndeclaredImport,
            nameof(WasmModuleBinaries.AbiVersion2) => WasmModuleBinaries.AbiVersion2,
            _ => new byte[(4 << 20) + 1],
        };
        var hash = WasmRuntime.HashOf(bytes);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Client.DeployWasmModule(bytes));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Null(await Client.DescribeWasmModule(hash));

        // Binding or swapping to it is refused too, and the neuron keeps what it had.
        var neuron = fixture.Grains.GetGrain<INeuronGrain>(2100 + (uint)Refusals.Select(r => (string)r[0]).ToList().IndexOf(which));
        await neuron.Configure(new NeuronConfig { Region = RegionPath.Parse("deploy/refused") });
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => neuron.BindBehaviour(WasmModuleName.Of(hash)));
        Assert.Contains($"No WebAssembly module with SHA-256 {hash} was deployed", unknown.Message, StringComparison.Ordinal);
        Assert.Null((await neuron.Inspect()).Behaviour);
        Assert.False((await neuron.GetActivity()).Hosted);
    }

    [Fact]
    public async Task A_module_stored_under_another_hash_or_a_malformed_hash_is_refused()
    {
        var counter = WasmModuleBinaries.Counter;
        var wrong = WasmRuntime.HashOf([9, 9, 9]);
        var mismatch = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IWasmModuleGrain>(wrong).Store(counter));
        Assert.Contains($"hash to {WasmRuntime.HashOf(counter)}, not to {wrong}", mismatch.Message, StringComparison.Ordinal);
        Assert.Null(await fixture.Grains.GetGrain<IWasmModuleGrain>(wrong).Describe());

        var malformed = await Assert.ThrowsAsync<ArgumentException>(() => Client.DescribeWasmModule("abc"));
        Assert.Contains("64 hex digits", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hot_swap_under_load_hands_every_spike_to_one_version_or_the_other_and_keeps_the_state()
    {
        var v1 = await Client.DeployWasmModule(WasmModuleBinaries.Counter);
        var v2 = await Client.DeployWasmModule(WasmModuleBinaries.CounterV2);
        Assert.Equal(v1.StateVersion, v2.StateVersion);
        var (sender, counter, sink) = await Chain(2200, RegionPath.Parse("deploy/swap"), v1.Behaviour);
        await Send(sender, 10, sink.GetPrimaryKeyLong(), expected: 10);

        // Stimuli keep coming while the swap happens; the swap lands between two passes of the mesh.
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            var sent = 0;
            while (!stop.IsCancellationRequested || sent < 200)
            {
                await sender.Stimulate();
                sent++;
            }

            return sent;
        });
        await Eventually.Until(counter.GetActivity, a => a.Received >= 60, "the counter to be under load");
        var swapped = await counter.SwapWasmModule(v2.Hash);
        stop.Cancel();
        var sent = await load + 10;
        Assert.Equal((v1.Behaviour, v2.Behaviour, true, true), (swapped.From, swapped.To, swapped.StateKept, swapped.Hosted));
        Assert.Equal(v2.Behaviour, (await counter.Inspect()).Behaviour);

        // Every stimulus was a spike the sender fired or a fire its full ring refused (counted); every spike it fired
        // reached the counter, which counted it once (v1 or v2), and nothing faulted.
        await sender.Stimulate();
        var mesh = MeshOf((await sender.GetActivity()).Silo);
        Assert.True(mesh.Cortex.WaitForIdle(TimeSpan.FromSeconds(30)), "the mesh did not go idle");
        var sending = mesh.CountersOf((uint)sender.GetPrimaryKeyLong())!.Value;
        var counting = mesh.CountersOf((uint)counter.GetPrimaryKeyLong())!.Value;
        Assert.Equal(sent + 1, sending.Attempts);
        var fired = sending.Fired;
        Assert.Equal((fired, 0L), (counting.Received, counting.Faults));
        var latest = await Eventually.Until(() => Task.FromResult(Latest(sink.GetPrimaryKeyLong())), v => v == WasmModuleBinaries.V2Mark + fired, $"v2 to report the count {fired}");
        Assert.Equal(WasmModuleBinaries.V2Mark + fired, latest);

        // The log agrees: a new activation restores the count and runs v2.
        Assert.True(await counter.FlushState() > 0);
        var before = await counter.GetActivity();
        await counter.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(counter.GetActivity, a => a.Activation != before.Activation && a.Hosted, "a new activation of the counter");
        await Send(sender, 1, sink.GetPrimaryKeyLong(), expected: WasmModuleBinaries.V2Mark + fired + 1);
    }

    [Fact]
    public async Task A_swap_to_another_state_version_resets_the_state_and_bad_swaps_change_nothing()
    {
        var v1 = await Client.DeployWasmModule(WasmModuleBinaries.Counter);
        var reshaped = await Client.DeployWasmModule(WasmModuleBinaries.CounterStateV2);
        Assert.Equal(2, reshaped.StateVersion);
        var (sender, counter, sink) = await Chain(2300, RegionPath.Parse("deploy/reset"), v1.Behaviour);
        await Send(sender, 4, sink.GetPrimaryKeyLong(), expected: 4);

        // Refusals first: an unknown module, a malformed hash, a neuron that runs C#. Nothing changes.
        var unknown = WasmRuntime.HashOf([1, 2, 3]);
        var notDeployed = await Assert.ThrowsAsync<ArgumentException>(() => counter.SwapWasmModule(unknown));
        Assert.Contains($"No WebAssembly module with SHA-256 {unknown} was deployed", notDeployed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => counter.SwapWasmModule("not-a-hash"));
        var csharp = await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SwapWasmModule(v1.Hash));
        Assert.Contains("is not a WebAssembly module", csharp.Message, StringComparison.Ordinal);
        Assert.Equal((RelayBehaviour.Name, v1.Behaviour), ((await sender.Inspect()).Behaviour, (await counter.Inspect()).Behaviour));
        await Send(sender, 1, sink.GetPrimaryKeyLong(), expected: 5);

        var swapped = await counter.SwapWasmModule(reshaped.Behaviour);
        Assert.False(swapped.StateKept);
        await Send(sender, 1, sink.GetPrimaryKeyLong(), expected: 1);

        // The reset is in the log: a new activation counts on from 1, not from 6.
        await counter.FlushState();
        var before = await counter.GetActivity();
        await counter.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(counter.GetActivity, a => a.Activation != before.Activation && a.Hosted, "a new activation of the counter");
        await Send(sender, 1, sink.GetPrimaryKeyLong(), expected: 2);
    }

    [Fact]
    public async Task A_swap_onto_a_region_switches_the_members_running_the_old_module_and_says_why_it_skipped_the_others()
    {
        var v1 = await Client.DeployWasmModule(WasmModuleBinaries.Counter);
        var v2 = await Client.DeployWasmModule(WasmModuleBinaries.CounterV2);
        var path = RegionPath.Parse("deploy/region");
        var (sender, counter, sink) = await Chain(2400, path, v1.Behaviour);
        var second = fixture.Grains.GetGrain<INeuronGrain>(2403);
        await second.Configure(new NeuronConfig { Region = path });
        await second.BindBehaviour(v1.Behaviour);
        var region = Client.Region(path.ToString());
        await Send(sender, 2, sink.GetPrimaryKeyLong(), expected: 2);

        var unknown = WasmRuntime.HashOf([4, 5, 6]);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => region.SwapWasmModule(unknown));
        Assert.Contains("No member of 'deploy/region' was changed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(v1.Behaviour, (await counter.Inspect()).Behaviour);

        var swap = await region.SwapWasmModule(v2.Hash, fromHash: v1.Hash);
        Assert.Equal([2401u, 2403u], swap.Swapped.Select(s => s.Neuron).ToArray());
        Assert.All(swap.Swapped, s => Assert.True(s.StateKept));
        Assert.Equal([2400u, 2402u], swap.Skipped.Keys.ToArray());
        Assert.Equal($"runs relay, not {v1.Behaviour}", swap.Skipped[2400]);
        Assert.Equal($"runs {WasmDeployClusterFixture.Sink}, not {v1.Behaviour}", swap.Skipped[2402]);
        Assert.Empty(swap.Failed);
        await Send(sender, 1, sink.GetPrimaryKeyLong(), expected: WasmModuleBinaries.V2Mark + 3);

        var again = await region.SwapWasmModule(v2.Hash);
        Assert.Empty(again.Swapped);
        Assert.Equal("already runs it", again.Skipped[2401]);
        Assert.Contains("is not a WebAssembly module", again.Skipped[2400], StringComparison.Ordinal);
        Assert.Contains("is not a WebAssembly module", again.Skipped[2402], StringComparison.Ordinal);
    }

    private SiloAgentMesh MeshOf(string silo)
        => fixture.Silos.Single(s => s.SiloAddress.ToParsableString() == silo).ServiceProvider.GetRequiredService<SiloAgentMesh>();

    private static long Latest(long sink) => WasmClusterFixture.SinkBehaviour.Latest.TryGetValue((uint)sink, out var v) ? v : -1L;

    private static Task Send(INeuronGrain sender, int spikes, long sink, long expected)
        => SendThenWait(sender, spikes, sink, expected);

    private static async Task SendThenWait(INeuronGrain sender, int spikes, long sink, long expected)
    {
        for (var i = 0; i < spikes; i++)
        {
            await sender.Stimulate();
        }

        await Eventually.Until(() => Task.FromResult(Latest(sink)), latest => latest == expected, $"sink {sink} to read {expected}");
    }

    /// <summary>A C# relay (id), a counter bound to <paramref name="behaviour"/> (id + 1) and a sink (id + 2), connected in a chain in <paramref name="region"/>.</summary>
    private async Task<(INeuronGrain Sender, INeuronGrain Counter, INeuronGrain Sink)> Chain(uint id, RegionPath region, string behaviour)
    {
        var (sender, counter, sink) = (fixture.Grains.GetGrain<INeuronGrain>(id), fixture.Grains.GetGrain<INeuronGrain>(id + 1), fixture.Grains.GetGrain<INeuronGrain>(id + 2));
        foreach (var n in new[] { sender, counter, sink })
        {
            await n.Configure(new NeuronConfig { Region = region });
        }

        await sender.BindBehaviour(RelayBehaviour.Name);
        await counter.BindBehaviour(behaviour);
        await sink.BindBehaviour(WasmDeployClusterFixture.Sink);
        await sender.Connect(new OutgoingSynapse(id + 1, 1));
        await counter.Connect(new OutgoingSynapse(id + 2, 1));
        return (sender, counter, sink);
    }
}
