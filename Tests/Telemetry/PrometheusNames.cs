using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using NeuroMesh.Telemetry;

namespace NeuroMesh.Tests.Telemetry;

/// <summary>
/// The Prometheus names of the NeuroMesh instruments as the OpenTelemetry Prometheus exporter writes them: dots become
/// underscores, the unit is appended (<c>s</c> → <c>_seconds</c>; annotations in braces such as <c>{spike}</c> add
/// nothing), counters end in <c>_total</c>, histograms are <c>_bucket</c>/<c>_sum</c>/<c>_count</c>. A test checks this rule
/// against a real scrape, so that the dashboards can be checked against instruments that have not reported yet.
/// </summary>
internal static partial class PrometheusNames
{
    /// <summary>Every NeuroMesh instrument: name, unit, and the Prometheus series names it yields.</summary>
    public static IReadOnlyList<(string Instrument, string[] Series)> NeuroMesh()
        => [.. Instruments().Select(i => (i.Name, Series(i)))];

    /// <summary>Every instrument of the NeuroMesh meter, as a <see cref="MeterListener"/> sees them published.</summary>
    public static IReadOnlyList<Instrument> Instruments()
    {
        GC.KeepAlive(NeuroMeshTelemetry.Meter); // runs the static constructor that creates the instruments
        var seen = new List<Instrument>();
        using (var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == NeuroMeshTelemetry.Name)
                {
                    seen.Add(instrument);
                }
            },
        })
        {
            listener.Start();
        }

        return seen;
    }

    /// <summary>Metric names in a Prometheus text exposition (from its <c># TYPE</c> lines, histograms expanded).</summary>
    public static HashSet<string> InExposition(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in TypeLine().Matches(text))
        {
            var name = m.Groups[1].Value;
            if (m.Groups[2].Value == "histogram")
            {
                names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static string[] Series(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        var unit = instrument.Unit switch
        {
            null or "" => string.Empty,
            var u when u.StartsWith('{') => string.Empty,
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            var u => u,
        };
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Histogram<>))
        {
            return [name + "_bucket", name + "_sum", name + "_count"];
        }

        return type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? [name + "_total"] : [name];
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
