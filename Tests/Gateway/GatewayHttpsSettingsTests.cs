using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NeuroMesh.Hosting;
using NeuroMesh.Silo.Http;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// The HTTPS settings one by one. Bad certificate settings stop a real node process at start with exit code 78 and one
/// line naming the setting; the modes (Refuse, a PKCS#12 file with a password, the redirect port, HSTS options, the
/// cluster's certificate, the development self-signed certificate) run on Kestrel in-process with the gateway's own
/// HTTPS wiring (<see cref="GatewayHttpsHosting"/>) and real TLS.
/// </summary>
public sealed class GatewayHttpsSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-https-settings-").FullName;
    private readonly TestCertificates _certificates;
    private readonly X509Certificate2 _authority = TestCertificates.Authority("NeuroMesh settings test CA");

    public GatewayHttpsSettingsTests() => _certificates = new TestCertificates(_dir);

    [Theory]
    [InlineData("missing file", "NeuroMesh:Gateway:Https:CertificatePath must name an existing certificate file")]
    [InlineData("garbage file", "NeuroMesh:Gateway:Https:CertificatePath '*' is neither a PEM certificate nor a PKCS#12 file")]
    [InlineData("expired", "NeuroMesh:Gateway:Https:CertificatePath '*' expired on")]
    [InlineData("not yet valid", "NeuroMesh:Gateway:Https:CertificatePath '*' is not valid before")]
    [InlineData("key of another certificate", "NeuroMesh:Gateway:Https:KeyPath '*' is not the private key of the certificate")]
    [InlineData("no key", "NeuroMesh:Gateway:Https:KeyPath is not set and NeuroMesh:Gateway:Https:CertificatePath '*' holds no PEM private key")]
    [InlineData("wrong pfx password", "NeuroMesh:Gateway:Https:CertificatePassword does not open the PKCS#12 file")]
    [InlineData("client certificate", "NeuroMesh:Gateway:Https:CertificatePath '*' is not a server certificate")]
    [InlineData("no https address", "NeuroMesh:Gateway:Https:Enabled is true but Urls lists no https:// address")]
    [InlineData("https address, HTTPS off", "Urls lists an https:// address but NeuroMesh:Gateway:Https:Enabled is false")]
    public async Task A_node_with_a_bad_https_setting_exits_with_78_and_one_line_naming_it(string problem, string expected)
    {
        var settings = new Dictionary<string, string>(NodeProcess.OwnCluster("https-bad", _dir))
        {
            ["NeuroMesh:Gateway:Https:Enabled"] = "true",
        };
        var https = true;
        var now = DateTimeOffset.UtcNow;
        switch (problem)
        {
            case "missing file":
                settings["NeuroMesh:Gateway:Https:CertificatePath"] = Path.Combine(_dir, "absent.crt");
                break;
            case "garbage file":
                var garbage = Path.Combine(_dir, "garbage.crt");
                await File.WriteAllBytesAsync(garbage, [0x30, 0x82, 0x01, 0x02, 0x42, 0x42]);
                settings["NeuroMesh:Gateway:Https:CertificatePath"] = garbage;
                break;
            case "expired":
                Pem(settings, _certificates.IssuePem(_authority, "expired", now.AddHours(-20), now.AddHours(-1)));
                break;
            case "not yet valid":
                Pem(settings, _certificates.IssuePem(_authority, "future", now.AddDays(1), now.AddDays(2)));
                break;
            case "key of another certificate":
                var own = _certificates.IssuePem(_authority, "own");
                var other = _certificates.IssuePem(_authority, "other");
                Pem(settings, (own.Certificate, other.Key, own.Issued));
                break;
            case "no key":
                settings["NeuroMesh:Gateway:Https:CertificatePath"] = _certificates.IssuePem(_authority, "keyless").Certificate;
                break;
            case "wrong pfx password":
                settings["NeuroMesh:Gateway:Https:CertificatePath"] = _certificates.IssuePfx(_authority, "locked", "right-password");
                settings["NeuroMesh:Gateway:Https:CertificatePassword"] = "wrong-password";
                break;
            case "client certificate":
                Pem(settings, _certificates.IssuePem(_authority, "client", usage: TestCertificates.ClientOnly));
                break;
            case "no https address":
                Pem(settings, _certificates.IssuePem(_authority, "plain"));
                https = false;
                break;
            case "https address, HTTPS off":
                settings.Remove("NeuroMesh:Gateway:Https:Enabled");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(problem), problem, null);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeProcess.StartAsync(settings, TimeSpan.FromSeconds(90), https: https));
        Assert.Contains("exited with code 78 before it was ready", error.Message, StringComparison.Ordinal);
        var lines = error.Message.Split('\n').Where(l => l.StartsWith("neuromesh: invalid configuration: ", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(lines);
        Assert.Matches("^neuromesh: invalid configuration: " + string.Join(".*", expected.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)), line);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuse_mode_answers_plain_http_with_403_naming_the_https_address_but_serves_health_and_sends_configured_hsts()
    {
        var (certificate, key, _) = _certificates.IssuePem(_authority, "refuse");
        await using var host = await Host.StartAsync(new()
        {
            ["NeuroMesh:Gateway:Https:CertificatePath"] = certificate,
            ["NeuroMesh:Gateway:Https:KeyPath"] = key,
            ["NeuroMesh:Gateway:Https:PlainHttp"] = "Refuse",
            ["NeuroMesh:Gateway:Https:HstsMaxAgeSeconds"] = "600",
            ["NeuroMesh:Gateway:Https:HstsIncludeSubDomains"] = "true",
        });

        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http };
        using var read = await plain.GetAsync(new Uri("api/thing?q=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var problem = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("HTTPS required", 403), (problem.GetProperty("title").GetString(), problem.GetProperty("status").GetInt32()));
        Assert.Equal($"this gateway serves over HTTPS only: use https://127.0.0.1:{host.HttpsPort}/api/thing?q=1", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(new Uri("health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(0, host.Hits);

        using var secure = new HttpClient(TestCertificates.Trusting(_authority)) { BaseAddress = host.Https };
        using var answer = await secure.GetAsync(new Uri("api/thing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("max-age=600; includeSubDomains", answer.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal(1, host.Hits);
    }

    [Fact]
    public async Task A_password_protected_pfx_serves_and_redirects_name_the_configured_port()
    {
        var pfx = _certificates.IssuePfx(_authority, "pfx", "s3cret-pass");
        await using var host = await Host.StartAsync(new()
        {
            ["NeuroMesh:Gateway:Https:CertificatePath"] = pfx,
            ["NeuroMesh:Gateway:Https:CertificatePassword"] = "s3cret-pass",
            ["NeuroMesh:Gateway:Https:RedirectPort"] = "443",
        });

        using var secure = new HttpClient(TestCertificates.Trusting(_authority)) { BaseAddress = host.Https };
        Assert.Equal(HttpStatusCode.OK, (await secure.GetAsync(new Uri("api/thing", UriKind.Relative))).StatusCode);
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http };
        using var redirect = await plain.GetAsync(new Uri("api/thing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal(new Uri("https://127.0.0.1/api/thing"), redirect.Headers.Location);
    }

    [Fact]
    public async Task Without_its_own_certificate_the_gateway_serves_the_clusters_tls_certificate()
    {
        var cluster = _certificates.IssuePfx(_authority, "cluster", string.Empty);
        var caPath = _certificates.WritePem(_authority, "ca.crt");
        await using var host = await Host.StartAsync(new()
        {
            [$"{TlsSettings.SiloSectionName}:Enabled"] = "true",
            [$"{TlsSettings.SiloSectionName}:CertificatePath"] = cluster,
            [$"{TlsSettings.SiloSectionName}:CaPath"] = caPath,
        });

        X509Certificate2? served = null;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            served = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return TestCertificates.ChainsTo(certificate, _authority, errors);
        };
        using var secure = new HttpClient(handler) { BaseAddress = host.Https };
        Assert.Equal(HttpStatusCode.OK, (await secure.GetAsync(new Uri("api/thing", UriKind.Relative))).StatusCode);
        Assert.Equal(X509CertificateLoader.LoadPkcs12FromFile(cluster, string.Empty).Thumbprint, served!.Thumbprint);
    }

    [Fact]
    public async Task The_self_signed_development_certificate_is_trusted_only_by_a_client_that_pins_it_and_sends_no_hsts()
    {
        var pin = Path.Combine(_dir, "dev.crt");
        await using var host = await Host.StartAsync(new()
        {
            ["NeuroMesh:Gateway:Https:SelfSigned"] = "true",
            ["NeuroMesh:Gateway:Https:SelfSignedCertificateOut"] = pin,
        });

        var pinned = X509CertificateLoader.LoadCertificateFromFile(pin);
        Assert.Contains("NeuroMesh development", pinned.Subject, StringComparison.Ordinal);
        using var pinning = new HttpClient(TestCertificates.Trusting(pinned)) { BaseAddress = host.Https };
        using var answer = await pinning.GetAsync(new Uri("api/thing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Strict-Transport-Security"));

        using var other = new HttpClient(TestCertificates.Trusting(_authority)) { BaseAddress = host.Https };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync(new Uri("api/thing", UriKind.Relative)));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static void Pem(Dictionary<string, string> settings, (string Certificate, string Key, X509Certificate2 Issued) pem)
    {
        settings["NeuroMesh:Gateway:Https:CertificatePath"] = pem.Certificate;
        settings["NeuroMesh:Gateway:Https:KeyPath"] = pem.Key;
    }

    /// <summary>Kestrel in-process with the gateway's HTTPS wiring and two endpoints: <c>/api/thing</c> (counted) and <c>/health/live</c>.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _hits;

        private Host(WebApplication app, int http, int https) => (_app, HttpPort, HttpsPort) = (app, http, https);

        public int HttpPort { get; }

        public int HttpsPort { get; }

        public Uri Http => new($"http://127.0.0.1:{HttpPort}/");

        public Uri Https => new($"https://127.0.0.1:{HttpsPort}/");

        public int Hits => Volatile.Read(ref _hits);

        public static async Task<Host> StartAsync(Dictionary<string, string?> settings)
        {
            var ports = LoopbackPorts.Free(2);
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
            settings["NeuroMesh:Gateway:Https:Enabled"] = "true";
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls($"http://127.0.0.1:{ports[0]}", $"https://127.0.0.1:{ports[1]}");
            builder.Logging.ClearProviders();
            builder.AddNeuroMeshHttps();
            var app = builder.Build();
            var host = new Host(app, ports[0], ports[1]);
            app.UseNeuroMeshHttps();
            app.MapGet("/health/live", () => "live");
            app.MapGet("/api/thing", () =>
            {
                Interlocked.Increment(ref host._hits);
                return "thing";
            });
            await app.StartAsync();
            return host;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
