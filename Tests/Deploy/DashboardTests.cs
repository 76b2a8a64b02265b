using System.Text.Json;
using System.Text.RegularExpressions;
using NeuroMesh.Tests.Engine;
using NeuroMesh.Tests.Telemetry;

namespace NeuroMesh.Tests.Deploy;

/// <summary>
/// The provisioned Grafana dashboards: every PromQL query names only metrics a silo exports (scraped from a live node, or
/// derived from the registered instruments with the exporter's naming rule, which <see cref="PrometheusScrapeTests"/> checks
/// against the scrape), so a renamed metric fails here instead of leaving an empty panel.
/// </summary>
[Collection(LiveNodeCollection.Name)]
public sealed partial class DashboardTests(LiveNodeFixture node)
{
    private static readonly string[] Expected = ["cluster-overview", "fabric-and-spikes", "simulation-clock", "persistence", "supervision"];

    private static string Dashboards => Path.Combine(ExamplesDirectory.Root(), "deploy", "grafana", "dashboards");

    [Fact]
    public void Every_query_in_every_dashboard_names_a_metric_the_silo_exports()
    {
        var known = PrometheusNames.InExposition(node.Scrape);
        known.UnionWith(PrometheusNames.NeuroMesh().SelectMany(d => d.Series));
        var problems = new List<string>();
        var queries = 0;
        foreach (var file in Directory.GetFiles(Dashboards, "*.json"))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var (where, query) in Queries(json.RootElement, Path.GetFileName(file)))
            {
                queries++;
                var names = MetricName().Matches(query).Select(m => m.Value).ToArray();
                if (names.Length == 0)
                {
                    problems.Add($"{where}: '{query}' names no neuromesh_ or orleans_ metric");
                }

                problems.AddRange(names.Where(n => !known.Contains(n)).Select(n => $"{where}: '{n}' is not exported (query '{query}')"));
            }
        }

        Assert.True(queries >= 30, $"only {queries} queries found");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_five_dashboards_are_provisioned_with_unique_uids_the_provisioned_datasource_and_a_description_on_every_panel()
    {
        var files = Directory.GetFiles(Dashboards, "*.json").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(Expected.Order(), files);
        var uids = new HashSet<string>();
        foreach (var name in Expected)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dashboards, name + ".json")));
            Assert.True(uids.Add(json.RootElement.GetProperty("uid").GetString()!), $"{name}: duplicate uid");
            foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
            {
                var title = panel.GetProperty("title").GetString();
                Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()), $"{name}/{title}: no description");
                Assert.Equal("prometheus", panel.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
            }
        }

        var provisioning = File.ReadAllText(Path.Combine(ExamplesDirectory.Root(), "deploy", "grafana", "provisioning", "datasources", "prometheus.yaml"));
        Assert.Contains("uid: prometheus", provisioning, StringComparison.Ordinal);
    }

    /// <summary>Every <c>expr</c> of a panel target and every templating query, with where it is.</summary>
    private static IEnumerable<(string Where, string Query)> Queries(JsonElement dashboard, string file)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return ($"{file}/{panel.GetProperty("title").GetString()}/{target.GetProperty("refId").GetString()}", target.GetProperty("expr").GetString()!);
            }
        }

        if (dashboard.TryGetProperty("templating", out var templating))
        {
            foreach (var variable in templating.GetProperty("list").EnumerateArray())
            {
                if (variable.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.String)
                {
                    yield return ($"{file}/templating/{variable.GetProperty("name").GetString()}", query.GetString()!);
                }
            }
        }
    }

    [GeneratedRegex(@"\b(?:neuromesh|orleans)_[a-zA-Z0-9_]+\b")]
    private static partial Regex MetricName();
}
