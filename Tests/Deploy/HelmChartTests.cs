using System.Text.Json;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Deploy;

/// <summary>
/// The helm/ chart through the real helm v4 binary: <c>helm lint</c> passes, and <c>helm template</c> with default and
/// non-default values renders the objects an operator relies on (replicas, probes, environment, ports, the Secret, the PDB,
/// anti-affinity, the optional ServiceMonitor). The rendered YAML is read as JSON through python3's yaml module (which
/// yamllint brings).
/// </summary>
public sealed class HelmChartTests
{
    private static string Chart => Path.Combine(ExamplesDirectory.Root(), "helm");

    [SkippableFact]
    public void Helm_lint_passes_with_default_and_non_default_values()
    {
        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        foreach (var values in new[] { Array.Empty<string>(), NonDefault })
        {
            var (code, output) = TestTools.Run(helm, ["lint", Chart, "--strict", .. values]);
            Assert.True(code == 0, $"helm lint {string.Join(' ', values)}:\n{output}");
            Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void Default_values_render_three_silos_with_probes_ports_the_postgres_secret_and_a_pdb()
    {
        var objects = Render([]);
        Assert.Equal(["ConfigMap", "PodDisruptionBudget", "Service", "Service", "StatefulSet"], objects.Select(o => o.GetProperty("kind").GetString()).Order());
        var set = Single(objects, "StatefulSet");
        Assert.Equal(3, set.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("r-neuromesh-headless", set.GetProperty("spec").GetProperty("serviceName").GetString());
        var pod = set.GetProperty("spec").GetProperty("template").GetProperty("spec");
        var silo = pod.GetProperty("containers")[0];
        Assert.Equal("neuromesh-silo:0.1.0", silo.GetProperty("image").GetString());
        Assert.Equal(new[] { ("http", 8080), ("silo", 11111), ("gateway", 30000) }, silo.GetProperty("ports").EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("containerPort").GetInt32())));
        Assert.Equal("/health/live", silo.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("http", silo.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.Equal("/health/ready", silo.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("1Gi", silo.GetProperty("resources").GetProperty("requests").GetProperty("memory").GetString());
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.True(pod.GetProperty("affinity").GetProperty("podAntiAffinity").TryGetProperty("preferredDuringSchedulingIgnoredDuringExecution", out _));

        // Both connection strings come from the existing Secret; the rest of the settings from the ConfigMap.
        var env = silo.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        foreach (var key in new[] { "NeuroMesh__Clustering__ConnectionString", "NeuroMesh__DeltaLog__ConnectionString" })
        {
            var secret = env[key].GetProperty("valueFrom").GetProperty("secretKeyRef");
            Assert.Equal(("neuromesh-postgres", "connectionString"), (secret.GetProperty("name").GetString(), secret.GetProperty("key").GetString()));
        }

        Assert.Equal("status.podIP", env["POD_IP"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
        Assert.Equal("$(POD_IP)", env["NeuroMesh__Clustering__AdvertisedIp"].GetProperty("value").GetString());
        Assert.Equal("r-neuromesh", silo.GetProperty("envFrom")[0].GetProperty("configMapRef").GetProperty("name").GetString());
        var config = Single(objects, "ConfigMap").GetProperty("data");
        Assert.Equal("Postgres", config.GetProperty("NeuroMesh__Clustering__Provider").GetString());
        Assert.Equal("postgres", config.GetProperty("NeuroMesh__DeltaLog__Backend").GetString());
        Assert.Equal("http://+:8080", config.GetProperty("Urls").GetString());
        Assert.Equal("30000", config.GetProperty("NeuroMesh__Clustering__GatewayPort").GetString());
        Assert.False(config.TryGetProperty("OTEL_EXPORTER_OTLP_ENDPOINT", out _));

        var services = objects.Where(o => o.GetProperty("kind").GetString() == "Service").ToDictionary(o => o.GetProperty("metadata").GetProperty("name").GetString()!);
        Assert.Equal("None", services["r-neuromesh-headless"].GetProperty("spec").GetProperty("clusterIP").GetString());
        Assert.Contains(services["r-neuromesh-gateway"].GetProperty("spec").GetProperty("ports").EnumerateArray(), p => p.GetProperty("port").GetInt32() == 30000 && p.GetProperty("targetPort").GetString() == "gateway");
        Assert.Equal(1, Single(objects, "PodDisruptionBudget").GetProperty("spec").GetProperty("maxUnavailable").GetInt32());
    }

    [SkippableFact]
    public void Non_default_values_render_five_silos_a_created_secret_otlp_hard_anti_affinity_tls_and_a_service_monitor()
    {
        var objects = Render(NonDefault);
        var set = Single(objects, "StatefulSet");
        Assert.Equal(5, set.GetProperty("spec").GetProperty("replicas").GetInt32());
        var pod = set.GetProperty("spec").GetProperty("template").GetProperty("spec");
        Assert.True(pod.GetProperty("affinity").GetProperty("podAntiAffinity").TryGetProperty("requiredDuringSchedulingIgnoredDuringExecution", out _));
        var silo = pod.GetProperty("containers")[0];
        Assert.Equal("registry.example/neuromesh:1.2.3", silo.GetProperty("image").GetString());
        Assert.Equal(12000, silo.GetProperty("ports")[2].GetProperty("containerPort").GetInt32());
        Assert.Equal("/etc/neuromesh/tls", silo.GetProperty("volumeMounts")[0].GetProperty("mountPath").GetString());
        Assert.Equal("silo-tls", pod.GetProperty("volumes")[0].GetProperty("secret").GetProperty("secretName").GetString());

        var secret = Single(objects, "Secret");
        Assert.Equal("r-neuromesh-postgres", secret.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Host=pg;Database=neuromesh", secret.GetProperty("stringData").GetProperty("connectionString").GetString());
        var env = silo.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("r-neuromesh-postgres", env["NeuroMesh__Clustering__ConnectionString"].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString());

        var config = Single(objects, "ConfigMap").GetProperty("data");
        Assert.Equal("http://collector.observability:4317", config.GetProperty("OTEL_EXPORTER_OTLP_ENDPOINT").GetString());
        Assert.Equal("true", config.GetProperty("NeuroMesh__Tls__Enabled").GetString());
        Assert.Equal("/etc/neuromesh/tls/tls.pfx", config.GetProperty("NeuroMesh__Tls__CertificatePath").GetString());
        Assert.False(config.TryGetProperty("NeuroMesh__Tls__KeyPath", out _));
        Assert.Equal("12000", config.GetProperty("NeuroMesh__Clustering__GatewayPort").GetString());
        Assert.Equal("Calls", config.GetProperty("NeuroMesh__Cluster__MeshTransport").GetString());

        var monitor = Single(objects, "ServiceMonitor");
        var endpoint = monitor.GetProperty("spec").GetProperty("endpoints")[0];
        Assert.Equal(("http", "/metrics", "30s"), (endpoint.GetProperty("port").GetString(), endpoint.GetProperty("path").GetString(), endpoint.GetProperty("interval").GetString()));
        Assert.DoesNotContain(objects, o => o.GetProperty("kind").GetString() == "PodDisruptionBudget");
    }

    [SkippableFact]
    public void Without_a_secret_or_a_connection_string_the_chart_refuses_naming_the_value()
    {
        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        var (code, output) = TestTools.Run(helm, ["template", "r", Chart, "--set", "postgres.existingSecret="]);
        Assert.NotEqual(0, code);
        Assert.Contains("postgres.connectionString is required", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_sqlite_delta_log_is_refused_because_the_pods_have_no_volume()
    {
        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        var (code, output) = TestTools.Run(helm, ["template", "r", Chart, "--set", "deltaLog.backend=sqlite"]);
        Assert.NotEqual(0, code);
        Assert.Contains("deltaLog.backend=sqlite is not supported by this chart", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_pem_tls_secret_sets_the_certificate_and_key_paths_and_an_unknown_format_is_refused()
    {
        var config = Single(Render(["--set", "tls.enabled=true", "--set", "tls.secretName=silo-tls", "--set", "tls.format=pem"]), "ConfigMap").GetProperty("data");
        Assert.Equal("/etc/neuromesh/tls/tls.crt", config.GetProperty("NeuroMesh__Tls__CertificatePath").GetString());
        Assert.Equal("/etc/neuromesh/tls/tls.key", config.GetProperty("NeuroMesh__Tls__KeyPath").GetString());
        Assert.Equal("/etc/neuromesh/tls/ca.crt", config.GetProperty("NeuroMesh__Tls__CaPath").GetString());

        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        var (code, output) = TestTools.Run(helm, ["template", "r", Chart, "--set", "tls.enabled=true", "--set", "tls.secretName=silo-tls", "--set", "tls.format=der"]);
        Assert.NotEqual(0, code);
        Assert.Contains("tls.format must be pfx", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Https_mounts_the_certificate_secret_opens_the_https_port_sets_the_gateway_and_scrapes_over_tls()
    {
        string[] values =
        [
            "--set", "https.enabled=true", "--set", "https.secretName=gateway-tls", "--set", "https.plainHttp=Refuse",
            "--set", "serviceMonitor.enabled=true", "--set", "https.serverName=neuromesh.example",
        ];
        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        var (lint, output) = TestTools.Run(helm, ["lint", Chart, "--strict", .. values]);
        Assert.True(lint == 0, $"helm lint:\n{output}");

        var objects = Render(values);
        var config = Single(objects, "ConfigMap").GetProperty("data");
        Assert.Equal("http://+:8080;https://+:8443", config.GetProperty("Urls").GetString());
        Assert.Equal("true", config.GetProperty("NeuroMesh__Gateway__Https__Enabled").GetString());
        Assert.Equal("/etc/neuromesh/https/tls.crt", config.GetProperty("NeuroMesh__Gateway__Https__CertificatePath").GetString());
        Assert.Equal("/etc/neuromesh/https/tls.key", config.GetProperty("NeuroMesh__Gateway__Https__KeyPath").GetString());
        Assert.Equal("Refuse", config.GetProperty("NeuroMesh__Gateway__Https__PlainHttp").GetString());
        Assert.Equal("31536000", config.GetProperty("NeuroMesh__Gateway__Https__HstsMaxAgeSeconds").GetString());

        var pod = Single(objects, "StatefulSet").GetProperty("spec").GetProperty("template").GetProperty("spec");
        var silo = pod.GetProperty("containers")[0];
        Assert.Contains(silo.GetProperty("ports").EnumerateArray(), p => p.GetProperty("name").GetString() == "https" && p.GetProperty("containerPort").GetInt32() == 8443);
        var mount = Assert.Single(silo.GetProperty("volumeMounts").EnumerateArray());
        Assert.Equal(("https", "/etc/neuromesh/https", true), (mount.GetProperty("name").GetString(), mount.GetProperty("mountPath").GetString(), mount.GetProperty("readOnly").GetBoolean()));
        Assert.Equal("gateway-tls", Assert.Single(pod.GetProperty("volumes").EnumerateArray()).GetProperty("secret").GetProperty("secretName").GetString());

        // The probes stay on plain HTTP, which still answers /health/*.
        Assert.Equal("http", silo.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.All(
            objects.Where(o => o.GetProperty("kind").GetString() == "Service"),
            service => Assert.Contains(service.GetProperty("spec").GetProperty("ports").EnumerateArray(), p => p.GetProperty("name").GetString() == "https" && p.GetProperty("targetPort").GetString() == "https"));

        var endpoint = Single(objects, "ServiceMonitor").GetProperty("spec").GetProperty("endpoints")[0];
        Assert.Equal(("https", "https"), (endpoint.GetProperty("port").GetString(), endpoint.GetProperty("scheme").GetString()));
        var tls = endpoint.GetProperty("tlsConfig");
        Assert.Equal("neuromesh.example", tls.GetProperty("serverName").GetString());
        Assert.Equal(("gateway-tls", "ca.crt"), (tls.GetProperty("ca").GetProperty("secret").GetProperty("name").GetString(), tls.GetProperty("ca").GetProperty("secret").GetProperty("key").GetString()));
    }

    [SkippableFact]
    public void Https_without_its_own_secret_serves_the_cluster_certificate_and_bad_https_values_are_refused_naming_them()
    {
        var config = Single(Render(["--set", "https.enabled=true", "--set", "tls.enabled=true", "--set", "tls.secretName=silo-tls"]), "ConfigMap").GetProperty("data");
        Assert.Equal("true", config.GetProperty("NeuroMesh__Gateway__Https__Enabled").GetString());
        Assert.False(config.TryGetProperty("NeuroMesh__Gateway__Https__CertificatePath", out _));
        Assert.Equal("/etc/neuromesh/tls/tls.pfx", config.GetProperty("NeuroMesh__Tls__CertificatePath").GetString());

        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        foreach (var (values, message) in new (string[], string)[]
        {
            (["--set", "https.enabled=true"], "https.secretName is required when https.enabled"),
            (["--set", "https.enabled=true", "--set", "https.secretName=x", "--set", "https.plainHttp=Off"], "https.plainHttp must be Redirect or Refuse"),
            (["--set", "https.enabled=true", "--set", "https.secretName=x", "--set", "serviceMonitor.enabled=true"], "https.serverName is required"),
        })
        {
            var (code, output) = TestTools.Run(helm, ["template", "r", Chart, .. values]);
            Assert.NotEqual(0, code);
            Assert.Contains(message, output, StringComparison.Ordinal);
        }
    }

    private static readonly string[] NonDefault =
    [
        "--set", "replicaCount=5", "--set", "image.repository=registry.example/neuromesh", "--set", "image.tag=1.2.3",
        "--set", "postgres.existingSecret=", "--set", "postgres.connectionString=Host=pg;Database=neuromesh",
        "--set", "otlp.endpoint=http://collector.observability:4317", "--set", "antiAffinity=hard",
        "--set", "tls.enabled=true", "--set", "tls.secretName=silo-tls", "--set", "ports.gateway=12000",
        "--set", "serviceMonitor.enabled=true", "--set", "serviceMonitor.interval=30s", "--set", "podDisruptionBudget.enabled=false",
        "--set", "extraConfig.NeuroMesh__Cluster__MeshTransport=Calls",
    ];

    private static JsonElement Single(IReadOnlyList<JsonElement> objects, string kind) => Assert.Single(objects, o => o.GetProperty("kind").GetString() == kind);

    private static List<JsonElement> Render(string[] values)
    {
        var helm = TestTools.Find("NEUROMESH_TEST_HELM", "helm");
        var (code, yaml) = TestTools.Run(helm, ["template", "r", Chart, .. values]);
        Assert.True(code == 0, $"helm template:\n{yaml}");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, yaml);
            var (pyCode, json) = TestTools.Run("python3", ["-c", "import json,sys,yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))", file]);
            Assert.True(pyCode == 0, $"python3 yaml:\n{json}");
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
        }
        finally
        {
            File.Delete(file);
        }
    }
}
