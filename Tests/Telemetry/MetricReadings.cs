using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NeuroMesh.Tests.Telemetry;

/// <summary>
/// An OpenTelemetry SDK meter provider with the in-memory exporter over the NeuroMesh meter: <see cref="Collect"/> flushes
/// once and sums each metric's points over the silos of one test cluster (the meter is process-wide; the <c>silo</c> tag
/// keeps other tests' silos out).
/// </summary>
internal sealed class MetricReadings : IDisposable
{
    private readonly List<Metric> _exported = [];
    private readonly MeterProvider _provider;

    public MetricReadings()
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NeuroMesh.Telemetry.NeuroMeshTelemetry.Name)
            .AddInMemoryExporter(_exported, o => o.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative)
            .Build();
    }

    /// <summary>One collection: metric name → points (tags, sum or histogram count).</summary>
    public IReadOnlyList<Reading> Collect()
    {
        _exported.Clear();
        Assert.True(_provider.ForceFlush(10_000), "the meter provider did not flush");
        var readings = new List<Reading>();
        foreach (var metric in _exported)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value?.ToString() ?? string.Empty;
                }

                double value = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
                    MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                    MetricType.Histogram => point.GetHistogramCount(),
                    _ => double.NaN,
                };
                readings.Add(new Reading(metric.Name, metric.Unit, metric.Description, tags, value));
            }
        }

        return readings;
    }

    public void Dispose() => _provider.Dispose();

    /// <summary>One metric point.</summary>
    internal sealed record Reading(string Name, string Unit, string Description, IReadOnlyDictionary<string, string> Tags, double Value);
}

/// <summary>Sums over readings.</summary>
internal static class ReadingsExtensions
{
    /// <summary>The sum of <paramref name="name"/>'s points on <paramref name="silos"/> whose tags include <paramref name="match"/>.</summary>
    public static long Sum(this IReadOnlyList<MetricReadings.Reading> readings, string name, IReadOnlyCollection<string> silos, params (string Key, string Value)[] match)
        => (long)readings
            .Where(r => r.Name == name && r.Tags.TryGetValue("silo", out var s) && silos.Contains(s))
            .Where(r => match.All(m => r.Tags.TryGetValue(m.Key, out var v) && v == m.Value))
            .Sum(r => r.Value);
}
