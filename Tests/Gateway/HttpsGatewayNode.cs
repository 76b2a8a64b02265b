using System.Security.Cryptography.X509Certificates;
using NeuroMesh.Tests.Silo;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// One real node whose gateway serves HTTPS with a PEM certificate and key issued at test time by a throwaway CA
/// (<see cref="Authority"/>), on <see cref="NodeProcess.HttpsPort"/>, and plain HTTP on <see cref="NodeProcess.HttpPort"/>
/// in the default <c>Redirect</c> mode. Mutations need <see cref="Key"/>.
/// </summary>
public sealed class HttpsGatewayNode : IAsyncLifetime
{
    public const string Key = GatewayNode.Key;

    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-https-").FullName;

    public NodeProcess Node { get; private set; } = null!;

    /// <summary>The CA that issued the node's certificate.</summary>
    public X509Certificate2 Authority { get; private set; } = null!;

    /// <summary>The CA's certificate as a PEM file (for clients outside .NET).</summary>
    public string AuthorityPath { get; private set; } = null!;

    /// <summary>The node's server certificate.</summary>
    public X509Certificate2 Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var certificates = new TestCertificates(_dir);
        Authority = TestCertificates.Authority("NeuroMesh gateway test CA");
        AuthorityPath = certificates.WritePem(Authority, "ca.crt");
        var (certificate, key, issued) = certificates.IssuePem(Authority, "gateway");
        Server = issued;
        Node = await NodeProcess.StartAsync(
            new Dictionary<string, string>(NodeProcess.OwnCluster("https", _dir))
            {
                ["NeuroMesh:Gateway:ApiKeys:0"] = Key,
                ["NeuroMesh:Gateway:Https:Enabled"] = "true",
                ["NeuroMesh:Gateway:Https:CertificatePath"] = certificate,
                ["NeuroMesh:Gateway:Https:KeyPath"] = key,
            },
            TimeSpan.FromSeconds(120),
            https: true);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An HTTPS client that trusts <see cref="Authority"/> only, sending <paramref name="key"/> in X-Api-Key (none when null).</summary>
    public HttpClient Client(string? key = Key)
    {
        var http = new HttpClient(TestCertificates.Trusting(Authority)) { BaseAddress = Node.Https, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }
}

/// <summary>The HTTPS gateway tests share one node.</summary>
[CollectionDefinition(Name)]
public sealed class HttpsGatewayCollection : ICollectionFixture<HttpsGatewayNode>
{
    public const string Name = "https gateway node";
}
