using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Supervision;
using NeuroMesh.Tests.Neurons;

namespace NeuroMesh.Tests.Supervision;

/// <summary>Failures the supervisor finds by itself, with its health-check timer: a behaviour that throws, and a child that stops answering.</summary>
public sealed class HealthCheckTests(SupervisionFixture fixture) : IClassFixture<SupervisionFixture>
{
    private static SupervisorConfig Checked(SupervisorConfig config) => config with { HealthCheckPeriodMs = 100, HealthCheckTimeoutMs = 500, MissedChecksAllowed = 2 };

    [Fact]
    public async Task A_behaviour_that_throws_is_found_by_the_health_check_and_its_neuron_restarted_into_a_fresh_fabric_slot()
    {
        var (supervisor, neurons) = await fixture.Tree("hc-fault", 1100, 2, Checked(SupervisionFixture.Quiet(SupervisionStrategy.OneForOne)), TestBehaviours.Throws);
        var faulty = fixture.Grains.GetGrain<INeuronGrain>(neurons[0]);
        var before = await fixture.Activations(neurons);

        await faulty.Stimulate();
        await Eventually.Until(faulty.GetActivity, a => a.Faults > 0 || a.Activation != before[0], "the behaviour to throw");
        var status = await Eventually.Until(supervisor.GetStatus, s => s.History.Length > 0, "the supervisor to act on the fault");

        var record = Assert.Single(status.History);
        Assert.Equal((ChildRef.Neuron(neurons[0]), FailureKind.BehaviourFault, SupervisorDirective.Restart), (record.Child, record.Kind, record.Directive));
        Assert.Contains("boom on fire", record.Reason, StringComparison.Ordinal);
        var activity = await faulty.GetActivity();
        Assert.NotEqual(before[0], activity.Activation);
        Assert.True(activity.Hosted, "the restarted neuron is back in its silo's agent mesh");
        Assert.Equal(0, activity.Faults);
        Assert.Equal(before[1], (await fixture.Activations(neurons))[1]);

        // No fault, no restart: further checks leave it alone.
        var checks = status.Checks;
        await Eventually.Until(supervisor.GetStatus, s => s.Checks >= checks + 3, "three more checks");
        Assert.Single((await supervisor.GetStatus()).History);
    }

    [Fact]
    public async Task A_restarted_neuron_takes_a_new_fabric_slot_and_its_synapses_carry_spikes_again()
    {
        var (supervisor, neurons) = await fixture.Tree("hc-rebind", 1120, 2, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne), NeuroMesh.Agents.RelayBehaviour.Name);
        var (source, target) = (fixture.Grains.GetGrain<INeuronGrain>(neurons[0]), fixture.Grains.GetGrain<INeuronGrain>(neurons[1]));
        await source.Connect(new OutgoingSynapse(neurons[1], 1));
        await source.Stimulate();
        await Eventually.Until(target.GetActivity, a => a.Received == 1, "the first spike");

        await supervisor.ReportFailure(ChildRef.Neuron(neurons[1]), FailureKind.Reported, "restart the target");
        await supervisor.ReportFailure(ChildRef.Neuron(neurons[0]), FailureKind.Reported, "restart the source");
        for (var i = 0; i < 3; i++)
        {
            await source.Stimulate();
        }

        var after = await Eventually.Until(target.GetActivity, a => a.Received >= 3, "three spikes through the restarted pair");
        Assert.Equal((3, true), (after.Received, after.Hosted));
    }

    [Fact]
    public async Task A_child_that_cannot_be_rebuilt_misses_its_health_checks_and_the_decider_stops_it()
    {
        var decider = SupervisorConfig.DefaultDecider.SetItem(FailureKind.MissedHealthCheck, SupervisorDirective.Stop);
        var (supervisor, neurons) = await fixture.Tree("hc-missed", 1110, 2, Checked(SupervisionFixture.Quiet(SupervisionStrategy.OneForOne) with { Decider = decider }));
        var broken = fixture.Grains.GetGrain<INeuronGrain>(neurons[0]);

        // Its log gets a delta that cannot be decoded, and its activation goes: every new activation fails to replay.
        var stream = broken.GetGrainId().ToString();
        var head = await fixture.Store.GetStreamAsync(stream) ?? throw new InvalidOperationException($"no stream {stream}");
        await fixture.Store.AppendAsync(stream, head.Version, new DeltaBatch(Guid.NewGuid(), [new Delta("NeuronConfigured", new byte[] { 0xFF, 0x00, 0x13 })]));
        await fixture.Deactivate(broken);

        var status = await Eventually.Until(supervisor.GetStatus, s => s.History.Length > 0, "the supervisor to act on the missed checks", TimeSpan.FromSeconds(20));
        var record = Assert.Single(status.History);
        Assert.Equal((ChildRef.Neuron(neurons[0]), FailureKind.MissedHealthCheck, SupervisorDirective.Stop), (record.Child, record.Kind, record.Directive));
        Assert.Contains("2 health check(s) in a row unanswered", record.Reason, StringComparison.Ordinal);
        Assert.Equal([false, true], status.Children.Select(c => c.Running));
    }
}
