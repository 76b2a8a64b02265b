namespace NeuroMesh.Tests.Telemetry;

/// <summary>The NeuroMesh meter's instruments themselves, without a cluster: names, units and descriptions.</summary>
public sealed class TelemetryInstrumentTests
{
    [Fact]
    public void Every_instrument_is_dot_named_in_the_NeuroMesh_meter_with_a_unit_and_a_description()
    {
        var seen = PrometheusNames.Instruments();
        Assert.True(seen.Count >= 30, $"only {seen.Count} instruments");
        Assert.All(seen, i =>
        {
            Assert.Matches("^neuromesh(\\.[a-z_]+)+$", i.Name);
            Assert.False(string.IsNullOrWhiteSpace(i.Unit), $"{i.Name} has no unit");
            Assert.False(string.IsNullOrWhiteSpace(i.Description), $"{i.Name} has no description");
        });
        foreach (var required in new[]
        {
            "neuromesh.spikes.published", "neuromesh.spikes.delivered", "neuromesh.spikes.dropped", "neuromesh.crosssilo.batches.sent",
            "neuromesh.crosssilo.batches.received", "neuromesh.crosssilo.spikes.sent", "neuromesh.crosssilo.spikes.received",
            "neuromesh.crosssilo.batches.corrupt", "neuromesh.fabric.ring.occupancy", "neuromesh.fabric.ring.highwater_hits",
            "neuromesh.simulation.tick.duration", "neuromesh.simulation.window.duration", "neuromesh.simulation.barrier.wait",
            "neuromesh.deltalog.append.duration", "neuromesh.replay.checkpoints", "neuromesh.supervisor.restarts",
        })
        {
            Assert.Contains(seen, i => i.Name == required);
        }
    }
}
