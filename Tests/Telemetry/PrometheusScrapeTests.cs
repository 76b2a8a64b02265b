using System.Globalization;
using System.Text.Json;
using NeuroMesh.Hosting;
using NeuroMesh.Tests.Deploy;

namespace NeuroMesh.Tests.Telemetry;

/// <summary>The node's <c>/metrics</c> endpoint as Prometheus sees it: the exporter's names, and a real Prometheus server scraping it.</summary>
[Collection(LiveNodeCollection.Name)]
public sealed class PrometheusScrapeTests(LiveNodeFixture node)
{
    [Fact]
    public void The_scrape_has_every_observable_NeuroMesh_series_the_recorded_histograms_and_Orleans_meter_under_the_derived_names()
    {
        var scraped = PrometheusNames.InExposition(node.Scrape);
        var derived = PrometheusNames.NeuroMesh();
        var missing = derived
            // Never recorded on this node: it has no supervisors, and it hosts far fewer agents than its limit.
            .Where(d => d.Instrument is not ("neuromesh.supervisor.restarts" or "neuromesh.agents.host.refused"))
            .SelectMany(d => d.Series)
            .Where(s => !scraped.Contains(s))
            .ToArray();
        Assert.True(missing.Length == 0, $"derived names missing from the scrape: {string.Join(", ", missing)}\nscraped: {string.Join(", ", scraped.Where(s => s.StartsWith("neuromesh", StringComparison.Ordinal)))}");
        var unknown = scraped.Where(s => s.StartsWith("neuromesh_", StringComparison.Ordinal)).Except(derived.SelectMany(d => d.Series)).ToArray();
        Assert.True(unknown.Length == 0, $"scraped NeuroMesh series the name rule does not derive: {string.Join(", ", unknown)}");
        Assert.Contains(scraped, s => s.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains($"neuromesh_simulation_ticks_total{{otel_scope_name=\"NeuroMesh\",otel_scope_version=", node.Scrape, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_Prometheus_server_scrapes_the_node_and_its_query_API_returns_the_runs_NeuroMesh_series()
    {
        var prometheus = TestTools.Find("NEUROMESH_TEST_PROMETHEUS", "prometheus");
        var dir = Directory.CreateTempSubdirectory("neuromesh-prometheus-").FullName;
        var port = LoopbackPorts.Free(1)[0];
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: neuromesh
                static_configs:
                  - targets: ["127.0.0.1:{node.Node.HttpPort}"]
            """);
        var start = new System.Diagnostics.ProcessStartInfo(prometheus) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = System.Diagnostics.Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            var ticks = await QueryAsync(http, "neuromesh_simulation_ticks_total", server, log);
            var series = Assert.Single(ticks.EnumerateArray());
            Assert.Equal("neuromesh", series.GetProperty("metric").GetProperty("job").GetString());
            Assert.StartsWith("127.0.0.1:", series.GetProperty("metric").GetProperty("silo").GetString(), StringComparison.Ordinal);
            Assert.Equal(node.Run.Tick, double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));

            var spikes = Assert.Single((await QueryAsync(http, "sum(neuromesh_simulation_spikes_total)", server, log)).EnumerateArray());
            Assert.Equal(node.Run.Spikes, double.Parse(spikes.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
            var up = Assert.Single((await QueryAsync(http, "up{job=\"neuromesh\"}", server, log)).EnumerateArray());
            Assert.Equal("1", up.GetProperty("value")[1].GetString());
            Assert.NotEmpty((await QueryAsync(http, "orleans_catalog_activations", server, log)).EnumerateArray());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs an instant query until it returns at least one series (Prometheus scrapes every second).</summary>
    private static Task<JsonElement> QueryAsync(HttpClient http, string query, System.Diagnostics.Process server, System.Text.StringBuilder log)
        => TestTools.QueryPrometheusUntilAsync(http, query, result => result.GetArrayLength() > 0, "returned no series", server, log);
}
