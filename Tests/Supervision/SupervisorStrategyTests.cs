using NeuroMesh.Agents;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;
using NeuroMesh.Supervision;
using NeuroMesh.Tests.Neurons;

namespace NeuroMesh.Tests.Supervision;

/// <summary>Each strategy and directive over real neuron grains: which children restart (a new activation, rebuilt from its log), in which order, and what the supervisor's log records.</summary>
public sealed class SupervisorStrategyTests(SupervisionFixture fixture) : IClassFixture<SupervisionFixture>
{
    [Fact]
    public async Task OneForOne_restarts_only_the_failed_child()
    {
        var (supervisor, neurons) = await fixture.Tree("s-one", 1000, 4, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne));
        var before = await fixture.Activations(neurons);

        Assert.Equal(SupervisorDirective.Restart, await supervisor.ReportFailure(ChildRef.Neuron(neurons[2]), FailureKind.Reported, "test"));

        var after = await fixture.Activations(neurons);
        Assert.Equal([false, false, true, false], before.Zip(after, (b, a) => b != a));
        var record = Assert.Single((await supervisor.GetStatus()).History);
        Assert.Equal((ChildRef.Neuron(neurons[2]), ChildRef.Neuron(neurons[2]), SupervisorDirective.Restart, 1), (record.Child, record.FailedChild, record.Directive, record.Attempt));
    }

    [Fact]
    public async Task OneForAll_restarts_every_child_in_start_order()
    {
        var (supervisor, neurons) = await fixture.Tree("s-all", 1010, 4, SupervisionFixture.Quiet(SupervisionStrategy.OneForAll));
        var before = await fixture.Activations(neurons);

        await supervisor.ReportFailure(ChildRef.Neuron(neurons[2]), FailureKind.Reported, "test");

        var after = await fixture.Activations(neurons);
        Assert.All(before.Zip(after), p => Assert.NotEqual(p.First, p.Second));
        var history = (await supervisor.GetStatus()).History;
        Assert.Equal(neurons.Select(ChildRef.Neuron), history.Select(r => r.Child));
        Assert.All(history, r => Assert.Equal(ChildRef.Neuron(neurons[2]), r.FailedChild));
    }

    [Fact]
    public async Task RestForOne_restarts_the_failed_child_and_those_started_after_it_in_start_order()
    {
        var (supervisor, neurons) = await fixture.Tree("s-rest", 1020, 4, SupervisionFixture.Quiet(SupervisionStrategy.RestForOne));
        var before = await fixture.Activations(neurons);

        await supervisor.ReportFailure(ChildRef.Neuron(neurons[1]), FailureKind.Reported, "test");

        var after = await fixture.Activations(neurons);
        Assert.Equal([false, true, true, true], before.Zip(after, (b, a) => b != a));
        Assert.Equal(neurons[1..].Select(ChildRef.Neuron), (await supervisor.GetStatus()).History.Select(r => r.Child));
    }

    [Fact]
    public async Task Exceeding_the_restart_intensity_stops_every_child_and_escalates_and_the_window_slides()
    {
        var (supervisor, neurons) = await fixture.Tree("s-intensity", 1030, 2, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { MaxRestarts = 2 });
        var child = ChildRef.Neuron(neurons[0]);

        Assert.Equal(SupervisorDirective.Restart, await supervisor.ReportFailure(child, FailureKind.Reported, "1"));
        Assert.Equal(SupervisorDirective.Restart, await supervisor.ReportFailure(child, FailureKind.Reported, "2"));
        Assert.Equal(SupervisorDirective.Escalate, await supervisor.ReportFailure(child, FailureKind.Reported, "3"));

        var status = await supervisor.GetStatus();
        Assert.All(status.Children, c => Assert.False(c.Running));
        Assert.Equal([SupervisorDirective.Restart, SupervisorDirective.Restart, SupervisorDirective.Stop, SupervisorDirective.Stop], status.History.Select(r => r.Directive));
        var escalation = Assert.Single(status.Escalations);
        Assert.Contains("restart intensity exceeded", escalation, StringComparison.Ordinal);
        Assert.Contains("no parent", escalation, StringComparison.Ordinal);

        // A stopped child is not acted on again.
        Assert.Equal(SupervisorDirective.Stop, await supervisor.ReportFailure(child, FailureKind.Reported, "4"));
        Assert.Equal(4, (await supervisor.GetStatus()).History.Length);

        // At most 1 restart within 2 s: two failures 2.3 s apart are both restarted, two in a row escalate (2 s leaves a
        // loaded machine room between the last two calls; the window is the record's time, taken after the restart).
        var (sliding, others) = await fixture.Tree("s-sliding", 1040, 1, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { MaxRestarts = 1, WithinSeconds = 2 });
        var only = ChildRef.Neuron(others[0]);
        Assert.Equal(SupervisorDirective.Restart, await sliding.ReportFailure(only, FailureKind.Reported, "a"));
        await Task.Delay(2300);
        Assert.Equal(SupervisorDirective.Restart, await sliding.ReportFailure(only, FailureKind.Reported, "b"));
        Assert.Equal(SupervisorDirective.Escalate, await sliding.ReportFailure(only, FailureKind.Reported, "c"));
    }

    [Fact]
    public async Task An_escalation_climbs_two_levels_and_the_root_restarts_the_whole_subtree()
    {
        var (leaf, leafNeurons) = await fixture.Tree("s-leaf", 1050, 2, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { MaxRestarts = 0 });
        var escalate = SupervisorConfig.DefaultDecider.SetItem(FailureKind.Escalated, SupervisorDirective.Escalate);
        var (middle, middleNeurons) = await fixture.Tree("s-middle", 1060, 1, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { Decider = escalate });
        var root = fixture.Grains.GetGrain<ISupervisorGrain>("s-root");
        await root.Configure(SupervisionFixture.Quiet(SupervisionStrategy.OneForOne));
        await middle.AddChild(ChildRef.Supervisor("s-leaf"));
        await root.AddChild(ChildRef.Supervisor("s-middle"));
        var before = await fixture.Activations([.. leafNeurons, .. middleNeurons]);

        // MaxRestarts 0: the leaf's first failure exceeds its intensity.
        Assert.Equal(SupervisorDirective.Escalate, await leaf.ReportFailure(ChildRef.Neuron(leafNeurons[0]), FailureKind.Reported, "boom"));

        var rootStatus = await ClusterWaitFor(root, s => s.History.Any(r => r.Child == ChildRef.Supervisor("s-middle")), "the root to restart the middle supervisor");
        var restart = Assert.Single(rootStatus.History);
        Assert.Equal((SupervisorDirective.Restart, FailureKind.Escalated), (restart.Directive, restart.Kind));
        Assert.Contains("s-leaf escalated", restart.Reason, StringComparison.Ordinal);
        Assert.Single((await middle.GetStatus()).Escalations);
        Assert.Single((await leaf.GetStatus()).Escalations);
        Assert.Empty((await root.GetStatus()).Escalations);

        // The whole subtree runs again, every neuron in a new activation.
        Assert.All((await leaf.GetStatus()).Children, c => Assert.True(c.Running));
        Assert.All((await middle.GetStatus()).Children, c => Assert.True(c.Running));
        var after = await fixture.Activations([.. leafNeurons, .. middleNeurons]);
        Assert.All(before.Zip(after), p => Assert.NotEqual(p.First, p.Second));
    }

    [Fact]
    public async Task Stop_takes_the_child_out_of_supervision_and_Resume_keeps_it_as_it_is()
    {
        var decider = SupervisorConfig.DefaultDecider.SetItem(FailureKind.Reported, SupervisorDirective.Stop).SetItem(FailureKind.BehaviourFault, SupervisorDirective.Resume);
        var (supervisor, neurons) = await fixture.Tree("s-stop", 1070, 2, SupervisionFixture.Quiet(SupervisionStrategy.OneForAll) with { Decider = decider });
        var before = await fixture.Activations(neurons);

        Assert.Equal(SupervisorDirective.Resume, await supervisor.ReportFailure(ChildRef.Neuron(neurons[0]), FailureKind.BehaviourFault, "ignored"));
        Assert.Equal(before, await fixture.Activations(neurons));

        Assert.Equal(SupervisorDirective.Stop, await supervisor.ReportFailure(ChildRef.Neuron(neurons[0]), FailureKind.Reported, "stop it"));
        var status = await supervisor.GetStatus();
        Assert.Equal([false, true], status.Children.Select(c => c.Running));
        Assert.Equal([SupervisorDirective.Resume, SupervisorDirective.Stop], status.History.Select(r => r.Directive));
        var after = await fixture.Activations(neurons);
        Assert.NotEqual(before[0], after[0]); // deactivated (this call activated it again, unsupervised)
        Assert.Equal(before[1], after[1]);
    }

    [Fact]
    public async Task A_cycle_a_second_parent_and_a_bad_child_are_refused_with_a_clear_error()
    {
        var a = fixture.Grains.GetGrain<ISupervisorGrain>("cyc-a");
        var b = fixture.Grains.GetGrain<ISupervisorGrain>("cyc-b");
        var c = fixture.Grains.GetGrain<ISupervisorGrain>("cyc-c");
        await a.AddChild(ChildRef.Supervisor("cyc-b"));
        await b.AddChild(ChildRef.Supervisor("cyc-c"));

        var cycle = await Assert.ThrowsAsync<ArgumentException>(() => c.AddChild(ChildRef.Supervisor("cyc-a")));
        Assert.Contains("cycle: cyc-a -> cyc-b -> cyc-c -> cyc-a", cycle.Message, StringComparison.Ordinal);
        var self = await Assert.ThrowsAsync<ArgumentException>(() => a.AddChild(ChildRef.Supervisor("cyc-a")));
        Assert.Contains("cycle", self.Message, StringComparison.Ordinal);
        var second = await Assert.ThrowsAsync<ArgumentException>(() => a.AddChild(ChildRef.Supervisor("cyc-c")));
        Assert.Contains("already has parent 'cyc-b'", second.Message, StringComparison.Ordinal);
        Assert.Empty((await c.GetStatus()).Children);
        Assert.Equal(["cyc-b", "cyc-c"], await a.Descendants());

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => a.AddChild(new ChildRef(ChildKind.Neuron, "x")));
        Assert.Contains("not a neuron id", bad.Message, StringComparison.Ordinal);
        var config = await Assert.ThrowsAsync<ArgumentException>(() => a.Configure(new SupervisorConfig { WithinSeconds = 0 }));
        Assert.Contains("WithinSeconds", config.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restarts_back_off_exponentially_with_the_seeded_jitter_that_the_log_records()
    {
        var config = SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { BackoffBaseMs = 5, BackoffMaxMs = 15, Jitter = 0.5, JitterSeed = 42 };
        var (supervisor, neurons) = await fixture.Tree("s-backoff", 1080, 1, config);
        var child = ChildRef.Neuron(neurons[0]);
        for (var i = 0; i < 4; i++)
        {
            await supervisor.ReportFailure(child, FailureKind.Reported, $"{i}");
        }

        var delays = (await supervisor.GetStatus()).History.Select(r => r.DelayMs).ToArray();
        Assert.Equal([1, 2, 3, 4], (await supervisor.GetStatus()).History.Select(r => r.Attempt));
        Assert.Equal(Enumerable.Range(1, 4).Select(n => RestartBackoff.DelayMs(config, child, n)), delays);
        double[] exponential = [5, 10, 15, 15];
        Assert.All(delays.Zip(exponential), p => Assert.InRange(p.First, p.Second, p.Second * 1.5));
        Assert.Equal(delays, Enumerable.Range(1, 4).Select(n => RestartBackoff.DelayMs(config, child, n)));
        Assert.NotEqual(delays, Enumerable.Range(1, 4).Select(n => RestartBackoff.DelayMs(config with { JitterSeed = 43 }, child, n)));
    }

    [Theory]
    [InlineData(RestartFrom.LastCheckpoint, 1090u, 13, 14)]
    [InlineData(RestartFrom.InitialState, 1093u, 1, 2)]
    public async Task A_restart_rebuilds_the_behaviours_state_from_the_log_or_starts_it_over_as_configured(RestartFrom from, uint firstId, long afterRestart, long afterReactivation)
    {
        var (supervisor, neurons) = await fixture.Tree($"s-from-{from}", firstId, 1, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { RestartFrom = from }, TestBehaviours.Counting);
        var counter = fixture.Grains.GetGrain<INeuronGrain>(neurons[0]);
        var sender = fixture.Grains.GetGrain<INeuronGrain>(firstId + 1);
        await sender.Configure(new NeuronConfig { Region = RegionPath.Parse($"sup/s-from-{from}") });
        await sender.BindBehaviour(RelayBehaviour.Name);
        await sender.Connect(new OutgoingSynapse(neurons[0], 1));
        async Task<long> CountAfterOneSpike(string what)
        {
            await sender.Stimulate();
            await Eventually.Until(counter.GetActivity, a => a.Received >= 1, what);
            return TestBehaviours.CountingBehaviour.Seen[neurons[0]];
        }

        for (var i = 0; i < 12; i++)
        {
            await sender.Stimulate();
        }

        await Eventually.Until(counter.GetActivity, a => a.Received >= 12, "12 spikes at the counter");
        Assert.Equal(12, await counter.FlushState());
        Assert.Equal(12, TestBehaviours.CountingBehaviour.Seen[neurons[0]]);

        Assert.Equal(SupervisorDirective.Restart, await supervisor.ReportFailure(ChildRef.Neuron(neurons[0]), FailureKind.Reported, "test"));
        var record = Assert.Single((await supervisor.GetStatus()).History);
        Assert.Equal((SupervisorDirective.Restart, from), (record.Directive, record.From));

        // LastCheckpoint: the new activation's behaviour holds the logged count (12), so its next spike is its 13th.
        // InitialState: the behaviour started over, so the next spike is its first.
        Assert.Equal(afterRestart, await CountAfterOneSpike("a spike at the restarted counter"));

        // The reset is in the neuron's log, not only in the restarted activation: a plain reactivation rebuilds the same state.
        await counter.FlushState();
        var restarted = (await counter.GetActivity()).Activation;
        await fixture.Deactivate(counter);
        await Eventually.Until(counter.GetActivity, a => a.Activation != restarted, "a new activation of the counter");
        Assert.Equal(afterReactivation, await CountAfterOneSpike("a spike at the reactivated counter"));
    }

    [Fact]
    public async Task A_region_child_is_located_on_its_silo_and_restarted_into_a_new_activation()
    {
        // The neurons' configuration records them as members of region sup/s-region, which makes the region exist.
        var (supervisor, _) = await fixture.Tree("s-region", 1096, 2, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne));
        var child = ChildRef.Region("sup/s-region");
        await supervisor.AddChild(child);
        var region = fixture.Grains.GetGrain<IRegionGrain>("sup/s-region");
        var before = await region.Inspect();
        Assert.False(string.IsNullOrEmpty(before.Silo));

        // Its silo is recorded, so a silo loss is seen through membership as for a neuron.
        Assert.Equal(before.Silo, Assert.Single((await supervisor.GetStatus()).Children, c => c.Child == child).Silo);

        Assert.Equal(SupervisorDirective.Restart, await supervisor.ReportFailure(child, FailureKind.Reported, "test"));
        var after = await region.Inspect();
        Assert.NotEqual(before.Activation, after.Activation);
        Assert.Equal(before.Members.ToArray(), after.Members.ToArray()); // rebuilt from its log
        var record = Assert.Single((await supervisor.GetStatus()).History);
        Assert.Equal((child, after.Silo), (record.Child, record.Silo));
    }

    private static Task<SupervisorStatus> ClusterWaitFor(ISupervisorGrain supervisor, Func<SupervisorStatus, bool> done, string what)
        => Eventually.Until(supervisor.GetStatus, done, what, TimeSpan.FromSeconds(20));
}
