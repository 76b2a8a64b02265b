using System.Text.RegularExpressions;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Deploy;

/// <summary>
/// The container deployment as far as this machine can check it without a container engine: Debian's docker-compose v1
/// accepts docker-compose.yml and resolves the topology, yamllint passes deploy/ and the chart's YAML, every file the
/// compose file mounts exists, and the Dockerfile is multi-stage, non-root and health-checked.
/// </summary>
public sealed partial class ComposeTests
{
    private static string Root => ExamplesDirectory.Root();

    [SkippableFact]
    public void Docker_compose_config_accepts_the_file_with_three_postgres_clustered_silos_and_the_observability_stack()
    {
        var compose = TestTools.Find("NEUROMESH_TEST_DOCKER_COMPOSE", "docker-compose");
        var (code, output) = TestTools.Run(compose, ["-f", Path.Combine(Root, "docker-compose.yml"), "config"], Root);
        Assert.True(code == 0, $"docker-compose config failed ({code}):\n{output}");
        var (servicesCode, services) = TestTools.Run(compose, ["-f", Path.Combine(Root, "docker-compose.yml"), "config", "--services"], Root);
        Assert.Equal(0, servicesCode);
        Assert.Equal(
            new[] { "grafana", "otel-collector", "postgres", "prometheus", "silo1", "silo2", "silo3" },
            services.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());

        // Every silo gets the Postgres clustering and delta-log settings and the collector's OTLP endpoint.
        Assert.Equal(3, Regex.Matches(output, "NeuroMesh__Clustering__Provider: Postgres").Count);
        Assert.Equal(3, Regex.Matches(output, "NeuroMesh__DeltaLog__Backend: postgres").Count);
        Assert.Equal(3, Regex.Matches(output, "OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4317").Count);
        Assert.Equal(6, Regex.Matches(output, "Host=postgres;Port=5432;Username=neuromesh;Password=neuromesh;Database=neuromesh").Count);
        foreach (var port in new[] { 30001, 30002, 30003, 8081, 8082, 8083, 9090, 3000, 4317 })
        {
            Assert.Contains($"published: {port}", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_file_the_compose_file_mounts_or_builds_from_exists()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var mounts = MountSource().Matches(text).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(mounts.Length >= 5, $"only {mounts.Length} bind mounts found");
        Assert.All(mounts, m => Assert.True(File.Exists(Path.Combine(Root, m)) || Directory.Exists(Path.Combine(Root, m)), $"{m} is mounted but missing"));
        Assert.True(File.Exists(Path.Combine(Root, "Dockerfile")));
        Assert.True(Directory.GetFiles(Path.Combine(Root, "deploy", "postgres", "init"), "*.sql").Length > 0, "no schema init script");
    }

    [Fact]
    public void The_Dockerfile_builds_with_the_SDK_runs_on_the_ASP_NET_runtime_as_a_non_root_user_and_checks_live_health()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile")).Where(l => !l.TrimStart().StartsWith('#')).ToArray();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, stages.Length);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);
        var runtime = lines.SkipWhile(l => l != stages[1]).ToArray();
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l is "USER $APP_UID");
        Assert.Contains(runtime, l => l.Contains("http://127.0.0.1:8080/health/live", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("\"NeuroMesh.Silo.dll\"", StringComparison.Ordinal));
        // Every project the Silo references is copied into the build stage.
        foreach (var project in new[] { "Grains.Abstractions", "Gpu", "Grains", "Silo" })
        {
            Assert.Contains(lines, l => l == $"COPY {project}/ {project}/");
        }
    }

    [SkippableFact]
    public void The_https_override_mounts_the_certificate_as_secrets_publishes_https_and_has_prometheus_scrape_over_tls()
    {
        var compose = TestTools.Find("NEUROMESH_TEST_DOCKER_COMPOSE", "docker-compose");
        var (code, output) = TestTools.Run(compose, ["-f", Path.Combine(Root, "docker-compose.yml"), "-f", Path.Combine(Root, "docker-compose.https.yml"), "config"], Root);
        Assert.True(code == 0, $"docker-compose config failed ({code}):\n{output}");
        var file = Path.GetTempFileName();
        File.WriteAllText(file, output);
        var (pyCode, json) = TestTools.Run("python3", ["-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file]);
        File.Delete(file);
        Assert.True(pyCode == 0, json);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var services = document.RootElement.GetProperty("services");
        foreach (var (silo, port) in new[] { ("silo1", 8441), ("silo2", 8442), ("silo3", 8443) })
        {
            var service = services.GetProperty(silo);
            var environment = service.GetProperty("environment");
            Assert.Equal("http://+:8080;https://+:8443", environment.GetProperty("Urls").GetString());
            Assert.Equal("true", environment.GetProperty("NeuroMesh__Gateway__Https__Enabled").GetString());
            Assert.Equal("/run/secrets/gateway.crt", environment.GetProperty("NeuroMesh__Gateway__Https__CertificatePath").GetString());
            Assert.Equal("/run/secrets/gateway.key", environment.GetProperty("NeuroMesh__Gateway__Https__KeyPath").GetString());
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), environment.GetProperty("NeuroMesh__Gateway__Https__RedirectPort").GetString());
            Assert.Equal(["gateway.crt", "gateway.key"], service.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("source").GetString()!).Order());
            Assert.Contains(service.GetProperty("ports").EnumerateArray(), p => p.GetProperty("published").GetInt32() == port && p.GetProperty("target").GetInt32() == 8443);

            // The base file's settings are kept (the override adds to them).
            Assert.Equal("Postgres", environment.GetProperty("NeuroMesh__Clustering__Provider").GetString());
        }

        var prometheus = services.GetProperty("prometheus");
        Assert.Contains(prometheus.GetProperty("volumes").EnumerateArray(), v => v.GetString()!.EndsWith("deploy/prometheus-https.yml:/etc/prometheus/prometheus.yml:ro", StringComparison.Ordinal));
        Assert.DoesNotContain(prometheus.GetProperty("volumes").EnumerateArray(), v => v.GetString()!.Contains("deploy/prometheus.yml", StringComparison.Ordinal));
        var ca = Assert.Single(prometheus.GetProperty("secrets").EnumerateArray());
        Assert.Equal(("gateway-ca.crt", "neuromesh-ca.crt"), (ca.GetProperty("source").GetString(), ca.GetProperty("target").GetString()));
        var secrets = document.RootElement.GetProperty("secrets");
        Assert.EndsWith("deploy/tls/gateway.key", secrets.GetProperty("gateway.key").GetProperty("file").GetString(), StringComparison.Ordinal);

        // Prometheus scrapes the silos' HTTPS port with the CA the secret mounts.
        var scrape = File.ReadAllText(Path.Combine(Root, "deploy", "prometheus-https.yml"));
        Assert.Contains("scheme: https", scrape, StringComparison.Ordinal);
        Assert.Contains("ca_file: /run/secrets/neuromesh-ca.crt", scrape, StringComparison.Ordinal);
        Assert.Contains("\"silo1:8443\", \"silo2:8443\", \"silo3:8443\"", scrape, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_dev_certificate_script_makes_a_ca_and_a_gateway_certificate_for_every_silo_that_the_node_accepts()
    {
        Skip.IfNot(File.Exists("/usr/bin/openssl"), "openssl is not installed");
        var dir = Directory.CreateTempSubdirectory("neuromesh-devcerts-").FullName;
        try
        {
            var (code, output) = TestTools.Run("bash", [Path.Combine(Root, "deploy", "tls", "make-dev-certs.sh"), dir]);
            Assert.True(code == 0, output);

            // Loaded and checked exactly as the node does at start (key match, validity, serverAuth).
            var options = new NeuroMesh.Silo.Http.GatewayHttpsOptions { Enabled = true, CertificatePath = Path.Combine(dir, "gateway.crt"), KeyPath = Path.Combine(dir, "gateway.key") };
            var loaded = NeuroMesh.Silo.Http.GatewayCertificate.Load(options, null, DateTimeOffset.UtcNow);
            using var authority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "ca.crt"));
            Assert.True(NeuroMesh.Tests.Gateway.TestCertificates.ChainsTo(loaded.Certificate, authority, System.Net.Security.SslPolicyErrors.None));
            foreach (var name in new[] { "localhost", "silo1", "silo2", "silo3" })
            {
                Assert.True(loaded.Certificate.MatchesHostname(name), $"the certificate does not name {name}");
            }

            Assert.True(loaded.Certificate.MatchesHostname("127.0.0.1"));

            // A second run keeps the files (no silent replacement of a deployment's certificate).
            var (again, message) = TestTools.Run("bash", [Path.Combine(Root, "deploy", "tls", "make-dev-certs.sh"), dir]);
            Assert.NotEqual(0, again);
            Assert.Contains("--force replaces it", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void Yamllint_passes_deploy_the_compose_file_and_the_chart_values()
    {
        var yamllint = TestTools.Find("NEUROMESH_TEST_YAMLLINT", "yamllint");
        var (code, output) = TestTools.Run(yamllint, ["--strict", "-c", ".yamllint", "deploy", "docker-compose.yml", "docker-compose.https.yml", "helm/Chart.yaml", "helm/values.yaml"], Root);
        Assert.True(code == 0, $"yamllint:\n{output}");
    }

    [GeneratedRegex(@"-\s+\./([^:\s]+):")]
    private static partial Regex MountSource();
}
