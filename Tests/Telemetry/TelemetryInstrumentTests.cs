using System.Diagnostics;
using NeuroMesh.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NeuroMesh.Tests.Telemetry;

/// <summary>The NeuroMesh meter's instruments themselves, without a cluster: names, units, descriptions and histogram buckets.</summary>
[Trait("Tier", "Unit")]
public sealed class TelemetryInstrumentTests
{
    [Fact]
    public void Every_instrument_is_dot_named_in_the_NeuroMesh_meter_with_a_unit_and_a_description()
    {
        var seen = PrometheusNames.Instruments();
        Assert.All(seen, i =>
        {
            Assert.Matches("^neuromesh(\\.[a-z_]+)+$", i.Name);
            Assert.False(string.IsNullOrWhiteSpace(i.Unit), $"{i.Name} has no unit");
            Assert.False(string.IsNullOrWhiteSpace(i.Description), $"{i.Name} has no description");
        });

        // The whole list, so an instrument that goes missing (or one added without a dashboard and docs in mind) fails here.
        string[] expected =
        [
            "neuromesh.spikes.published", "neuromesh.spikes.delivered", "neuromesh.spikes.dropped", "neuromesh.spikes.refused",
            "neuromesh.fabric.ring.occupancy", "neuromesh.fabric.rings.leased", "neuromesh.fabric.rings.capacity",
            "neuromesh.fabric.ring.highwater_hits", "neuromesh.mesh.ticks",
            "neuromesh.fabric.ring.bytes.leased", "neuromesh.fabric.ring.bytes.capacity", "neuromesh.fabric.ring.grows",
            "neuromesh.fabric.ring.grows_refused", "neuromesh.agents.hosted", "neuromesh.agents.host.refused",
            "neuromesh.crosssilo.batches.sent", "neuromesh.crosssilo.spikes.sent", "neuromesh.crosssilo.batches.received",
            "neuromesh.crosssilo.spikes.received", "neuromesh.crosssilo.batches.corrupt", "neuromesh.crosssilo.spikes.dropped",
            "neuromesh.simulation.tick.duration", "neuromesh.simulation.window.duration", "neuromesh.simulation.barrier.wait",
            "neuromesh.simulation.ticks", "neuromesh.simulation.windows", "neuromesh.simulation.spikes", "neuromesh.simulation.shards",
            "neuromesh.gpu.shards", "neuromesh.gpu.fallbacks",
            "neuromesh.deltalog.append.duration", "neuromesh.deltalog.appends", "neuromesh.deltalog.deltas", "neuromesh.deltalog.replayed",
            "neuromesh.replay.checkpoints", "neuromesh.replay.ticks", "neuromesh.supervisor.restarts",
            "neuromesh.snapshots.written", "neuromesh.snapshots.restored", "neuromesh.snapshots.stored",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_one_millisecond_window_lands_in_a_sub_five_millisecond_bucket_of_every_latency_histogram()
    {
        var exported = new List<Metric>();
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NeuroMeshTelemetry.Name)
            .AddInMemoryExporter(exported, o => o.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative)
            .Build())
        {
            // A silo tag no cluster uses, so other tests' recordings (the meter is process-wide) stay out.
            var silo = $"bucket-test-{Guid.NewGuid():N}";
            var tags = new TagList { { "silo", silo } };
            NeuroMeshTelemetry.RecordWindow(tags, waitSeconds: 0.001, computeSeconds: 0.001, totalSeconds: 0.001, ticks: 1);
            NeuroMeshTelemetry.RecordAppend(tags, 0.001);
            Assert.True(provider.ForceFlush(10_000), "the meter provider did not flush");

            string[] histograms = ["neuromesh.simulation.window.duration", "neuromesh.simulation.tick.duration", "neuromesh.simulation.barrier.wait", "neuromesh.deltalog.append.duration"];
            foreach (var name in histograms)
            {
                var metric = Assert.Single(exported, m => m.Name == name);
                var found = false;
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var mine = false;
                    foreach (var tag in point.Tags)
                    {
                        mine |= tag.Key == "silo" && (string?)tag.Value == silo;
                    }

                    if (!mine)
                    {
                        continue;
                    }

                    found = true;
                    Assert.Equal(1, point.GetHistogramCount());
                    var bounds = new List<double>();
                    double? landed = null;
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        bounds.Add(bucket.ExplicitBound);
                        if (bucket.BucketCount == 1)
                        {
                            landed = bucket.ExplicitBound;
                        }
                    }

                    Assert.Contains(1e-5, bounds);
                    Assert.True(landed is > 0 and < 0.005, $"{name}: 1 ms landed in the bucket up to {landed} (bounds {string.Join(", ", bounds)})");
                }

                Assert.True(found, $"{name}: no point for the test's silo");
            }
        }
    }
}
