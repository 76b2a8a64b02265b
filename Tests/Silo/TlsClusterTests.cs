using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Silo;

/// <summary>
/// TLS through Orleans connection security on two real node processes: certificates from configuration, issued in the test
/// by a throwaway CA. The secondary joins the primary over TLS and a client with a certificate from the CA runs a spec on
/// both; a client without a certificate, and one whose certificate comes from another CA, are refused.
/// </summary>
public sealed class TlsClusterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-tls-").FullName;

    [Fact]
    public async Task A_two_silo_TLS_cluster_serves_a_client_with_a_trusted_certificate_and_refuses_clients_without_one()
    {
        var (ca, caPem) = Authority("NeuroMesh test CA");
        var silo = Issue(ca, "silo", "silo.pfx");
        var client = Issue(ca, "client", "client.pfx");
        var (stranger, _) = Authority("Some other CA");
        var untrusted = Issue(stranger, "intruder", "intruder.pfx");
        var caPath = Path.Combine(_dir, "ca.crt");
        await File.WriteAllTextAsync(caPath, caPem);

        var cluster = $"tls-{Guid.NewGuid():N}";
        Dictionary<string, string> Settings(string name) => new()
        {
            ["NeuroMesh:Clustering:ClusterId"] = cluster,
            ["NeuroMesh:Clustering:ServiceId"] = cluster,
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, $"{name}.db"),
            ["NeuroMesh:Tls:Enabled"] = "true",
            ["NeuroMesh:Tls:CertificatePath"] = silo,
            ["NeuroMesh:Tls:CaPath"] = caPath,
        };
        await using var primary = await NodeProcess.StartAsync(Settings("a"), TimeSpan.FromSeconds(90));
        await using var secondary = await NodeProcess.StartAsync(Settings("b"), TimeSpan.FromSeconds(90), primary);

        // Trusted: a run placed on both silos (so the silos talk to each other over TLS too).
        using (var host = await StartClientAsync(cluster, primary, new() { ["Enabled"] = "true", ["CertificatePath"] = client, ["CaPath"] = caPath }))
        {
            var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 50 };
            var run = host.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>("tls");
            await run.Deploy(spec.ToJson(), 2);
            var status = await run.Step(spec.TotalTicks);
            Assert.Equal(2, status.Silos);
            Assert.Equal(spec.TotalTicks, status.Tick);
            await host.StopAsync();
        }

        // No TLS at all, and TLS with a certificate the cluster's CA did not issue: both refused at the gateway.
        // The gateway's TLS handshake itself: a certificate from the CA is accepted, none or another CA's is refused.
        var caCertificate = X509CertificateLoader.LoadCertificateFromFile(caPath);
        Assert.True(await HandshakeAsync(primary.GatewayPort, client, caCertificate), "a client certificate from the cluster's CA must be accepted");
        Assert.False(await HandshakeAsync(primary.GatewayPort, null, caCertificate), "a client without a certificate must be refused");
        Assert.False(await HandshakeAsync(primary.GatewayPort, untrusted, caCertificate), "a client certificate from another CA must be refused");

        // And an Orleans client without TLS never gets a working connection.
        // (It fails once the client's connection retries are spent, or when the start is cancelled, whichever comes first.)
        var refused = await Record.ExceptionAsync(() => StartClientAsync(cluster, primary, [], TimeSpan.FromSeconds(10)));
        Assert.True(
            refused is OperationCanceledException or Orleans.Runtime.Messaging.ConnectionFailedException,
            $"a client without TLS must not connect; got {refused?.GetType().Name ?? "a connection"}: {refused?.Message}");
        Assert.False(primary.HasExited, primary.Output);
        Assert.Equal(200, (await secondary.GetAsync("health/ready")).Status);
    }

    [Fact]
    public async Task A_node_with_TLS_on_and_no_certificate_exits_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeProcess.StartAsync(
            new Dictionary<string, string> { ["NeuroMesh:Tls:Enabled"] = "true", ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "x.db") },
            TimeSpan.FromSeconds(90)));
        Assert.Contains("NeuroMesh:Tls:CertificatePath must name an existing certificate file", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A TLS handshake with the gateway on a raw socket (ALPN as Orleans offers it), then a read: true when the connection is
    /// still open after the handshake (the gateway waits for the client's preamble), false when the handshake fails or the
    /// gateway closes the connection (TLS 1.3 reports a refused client certificate after the client's side completes).
    /// </summary>
    private static async Task<bool> HandshakeAsync(int port, string? certificate, X509Certificate2 authority)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        using var tls = new System.Net.Security.SslStream(tcp.GetStream());
        var options = new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [new System.Net.Security.SslApplicationProtocol("Orleans1")],
            ClientCertificates = certificate is null ? null : [X509CertificateLoader.LoadPkcs12FromFile(certificate, null)],
            RemoteCertificateValidationCallback = (_, remote, _, _) => remote is not null && TlsSettings.ChainsTo(X509CertificateLoader.LoadCertificate(remote.GetRawCertData()), authority, System.Net.Security.SslPolicyErrors.None),
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var read = await tls.ReadAsync(new byte[1], wait.Token);
            return read > 0;
        }
        catch (OperationCanceledException)
        {
            return true; // still open: the gateway accepted us and waits for our preamble
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return false;
        }
    }

    private static async Task<IHost> StartClientAsync(string cluster, NodeProcess gateway, Dictionary<string, string> tls, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        var host = await TestClients.StartAsync(
            cluster,
            [$"127.0.0.1:{gateway.GatewayPort}"],
            tls.ToDictionary(t => $"{TlsSettings.ClientSectionName}:{t.Key}", t => (string?)t.Value),
            client => client.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15)),
            timeout.Token);
        try
        {
            // The first call proves the connection (a refused handshake fails here at the latest).
            await host.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>("probe").GetStatus();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static (X509Certificate2 Certificate, string Pem) Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate, certificate.ExportCertificatePem());
    }

    private string Issue(X509Certificate2 authority, string name, string file)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        var path = Path.Combine(_dir, file);
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx));
        return path;
    }
}
