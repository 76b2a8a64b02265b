using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Supervision;

namespace NeuroMesh.Tests.Supervision;

/// <summary>Restarts while the delta log fails writes and loses acknowledgements: each restart is recorded once and no child is lost.</summary>
public sealed class StorageFaultTests(FaultySupervisionFixture fixture) : IClassFixture<FaultySupervisionFixture>
{
    [Fact]
    public async Task Restarts_over_a_faulty_log_are_recorded_exactly_once_and_every_child_survives_a_rebuild()
    {
        const int Failures = 12;
        var (supervisor, neurons) = await fixture.Tree("faulty-sup", 2000, 3, SupervisionFixture.Quiet(SupervisionStrategy.OneForOne));
        for (var i = 0; i < Failures; i++)
        {
            Assert.Equal(SupervisorDirective.Restart, await supervisor.ReportFailure(ChildRef.Neuron(neurons[i % 3]), FailureKind.Reported, $"failure {i}"));
        }

        var store = Assert.IsType<FaultInjectingDeltaLogStore>(fixture.Store);
        Assert.True(store.FailuresBeforeWrite > 0 && store.FailuresAfterWrite > 0, $"faults injected: {store.FailuresBeforeWrite} before, {store.FailuresAfterWrite} after the write");
        var expected = Enumerable.Range(0, Failures).Select(i => (ChildRef.Neuron(neurons[i % 3]), $"failure {i}")).ToArray();
        var live = await supervisor.GetStatus();
        Assert.Equal(expected, live.History.Select(r => (r.Child, r.Reason)));

        // The supervisor rebuilt from its log alone has the same children and the same history: nothing lost, nothing twice.
        await fixture.Deactivate(supervisor);
        var rebuilt = await Eventually.Until(supervisor.GetStatus, s => s.Silo.Length > 0, "the supervisor to answer again");
        Assert.Equal(expected, rebuilt.History.Select(r => (r.Child, r.Reason)));
        Assert.Equal(neurons.Select(ChildRef.Neuron), rebuilt.Children.Select(c => c.Child));
        Assert.All(rebuilt.Children, c => Assert.True(c.Running));
        Assert.Equal([4, 4, 4], rebuilt.Children.Select(c => c.Restarts));
        var stream = await store.GetStreamAsync(supervisor.GetGrainId().ToString());
        Assert.Equal(rebuilt.Version, stream!.Version);

        // And every neuron rebuilt from its own log still has its configuration.
        foreach (var neuron in neurons)
        {
            Assert.Equal("sup/faulty-sup", (await fixture.Grains.GetGrain<INeuronGrain>(neuron).Inspect()).Region.ToString());
        }
    }
}
