using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Supervision;
using NeuroMesh.Tests.Neurons;
using NeuroMesh.Tests.Supervision;
using Orleans.Core.Internal;

namespace NeuroMesh.Tests.Agents;

/// <summary>A WebAssembly behaviour on a real neuron grain: its state in the delta log, its trap handled by its supervisor.</summary>
[Trait("Tier", "Cluster")]
public sealed class WasmSupervisionTests(WasmClusterFixture fixture) : IClassFixture<WasmClusterFixture>
{
    [Fact]
    public async Task A_trapped_wasm_counter_is_restarted_by_its_supervisor_and_keeps_its_state_across_restarts()
    {
        var region = new NeuronConfig { Region = RegionPath.Parse("wasm/counting") };
        var (sender, counter, sink) = (Neuron(1700), Neuron(1701), Neuron(1702));
        foreach (var n in new[] { sender, counter, sink })
        {
            await n.Configure(region);
        }

        await sender.BindBehaviour(RelayBehaviour.Name);
        await counter.BindBehaviour(WasmClusterFixture.Counter);
        await sink.BindBehaviour(WasmClusterFixture.Sink);
        await sender.Connect(new OutgoingSynapse(1701, 1));
        await counter.Connect(new OutgoingSynapse(1702, 1));
        var supervisor = fixture.Grains.GetGrain<ISupervisorGrain>("wasm-sup");
        await supervisor.Configure(SupervisionFixture.Quiet(SupervisionStrategy.OneForOne));
        await supervisor.AddChild(ChildRef.Neuron(1701));
        await supervisor.CheckNow();

        await Send(sender, 5, expected: 5);
        Assert.Equal(5, await counter.FlushState());

        // The stimulus traps the instance: a fault the mesh reports; the spike after it is dropped, not counted.
        var before = await counter.GetActivity();
        await counter.Stimulate();
        var trapped = await Eventually.Until(counter.GetActivity, a => a.Faults == 1, "the trap to be reported");
        Assert.Contains(trapped.RecentFaults, f => f.StartsWith("OnFire", StringComparison.Ordinal) && f.Contains("WasmTrapException", StringComparison.Ordinal) && f.Contains("Unreachable", StringComparison.Ordinal));
        await sender.Stimulate();
        await Eventually.Until(counter.GetActivity, a => a.Received == before.Received + 1, "the spike at the trapped instance");
        Assert.Equal(5, WasmClusterFixture.SinkBehaviour.Latest[1702]);

        // The supervisor restarts the neuron: a fresh instance, restored from the log, counts on from 5.
        var status = await supervisor.CheckNow();
        var record = Assert.Single(status.History);
        Assert.Equal((FailureKind.BehaviourFault, SupervisorDirective.Restart), (record.Kind, record.Directive));
        var restarted = await counter.GetActivity();
        Assert.NotEqual(before.Activation, restarted.Activation);
        Assert.True(restarted.Hosted);
        Assert.Equal(0, restarted.Faults);
        await Send(sender, 1, expected: 6);

        // A plain deactivation (what a crash of the activation does) keeps it too.
        await counter.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(counter.GetActivity, a => a.Activation != restarted.Activation && a.Hosted, "a new activation of the counter");
        await Send(sender, 2, expected: 8);
    }

    [Fact]
    public async Task A_wasm_module_finds_the_agents_advertised_on_its_silo_by_capability()
    {
        var region = new NeuronConfig { Region = RegionPath.Parse("wasm/finding") };
        var (finder, actor, sink) = (Neuron(1710), Neuron(1711), Neuron(1712));
        foreach (var n in new[] { finder, actor, sink })
        {
            await n.Configure(region);
        }

        await finder.BindBehaviour(WasmClusterFixture.Finder);
        await actor.BindBehaviour(RelayBehaviour.Name);
        await sink.BindBehaviour(WasmClusterFixture.Sink);
        await finder.Connect(new OutgoingSynapse(1712, 1));
        await actor.Advertise("actor", ["act"]);

        // The payload is the count (low 32 bits) and the lowest id found (high 32 bits).
        await finder.Stimulate();
        await Latest(1712, 1L | (1711L << 32), "the finder to find the actor");

        // A new activation of the actor advertises its card again; a withdrawn card is not found.
        await actor.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(actor.GetActivity, a => a.Hosted, "the actor to be hosted again");
        WasmClusterFixture.SinkBehaviour.Latest[1712] = -1;
        await finder.Stimulate();
        await Latest(1712, 1L | (1711L << 32), "the finder to find the re-activated actor");
        await actor.Withdraw();
        await finder.Stimulate();
        await Latest(1712, 0, "the finder to find nobody");
    }

    [Theory]
    [InlineData(1720u, WasmClusterFixture.Refused, "wasi_snapshot_preview1.fd_write")]
    [InlineData(1721u, WasmClusterFixture.Malformed, "not a valid WebAssembly module")]
    public async Task Binding_a_refused_module_fails_saying_why_and_the_neuron_stays_reachable(uint id, string behaviour, string why)
    {
        var neuron = Neuron(id);
        await neuron.Configure(new NeuronConfig { Region = RegionPath.Parse("wasm/refused") });
        var refused = await Assert.ThrowsAsync<WasmModuleRefusedException>(() => neuron.BindBehaviour(behaviour));
        Assert.Contains(why, refused.Message, StringComparison.Ordinal);

        var activity = await neuron.GetActivity();
        Assert.False(activity.Hosted);
        await neuron.UnbindBehaviour();
        await neuron.BindBehaviour(RelayBehaviour.Name);
        Assert.True((await neuron.GetActivity()).Hosted);
    }

    private static Task Latest(uint sink, long expected, string what)
        => Eventually.Until(() => Task.FromResult(WasmClusterFixture.SinkBehaviour.Latest.TryGetValue(sink, out var v) ? v : -1L), latest => latest == expected, what);

    private INeuronGrain Neuron(uint id) => fixture.Grains.GetGrain<INeuronGrain>(id);

    private static async Task Send(INeuronGrain sender, int spikes, long expected)
    {
        for (var i = 0; i < spikes; i++)
        {
            await sender.Stimulate();
        }

        await Eventually.Until(() => Task.FromResult(WasmClusterFixture.SinkBehaviour.Latest.TryGetValue(1702, out var v) ? v : 0L), latest => latest == expected, $"the counter to reach {expected}");
    }
}
