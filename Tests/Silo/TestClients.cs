using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Hosting;

namespace NeuroMesh.Tests.Silo;

/// <summary>Orleans clients for node processes: <c>AddNeuroMeshClient</c> over the given gateways and cluster id.</summary>
internal static class TestClients
{
    /// <summary>
    /// Builds and starts a client of <paramref name="cluster"/> (cluster and service id) through <paramref name="gateways"/>
    /// (<c>ip:port</c>), with <paramref name="extra"/> configuration (for example <c>NeuroMesh:Client:Tls:*</c>); with
    /// <paramref name="clustering"/> the client finds the gateways through it (AddNeuroMeshClient's clustering hook) instead.
    /// </summary>
    public static async Task<IHost> StartAsync(
        string cluster,
        IEnumerable<string> gateways,
        IReadOnlyDictionary<string, string?>? extra = null,
        Action<IClientBuilder>? configure = null,
        CancellationToken cancellationToken = default,
        Action<IClientBuilder>? clustering = null)
    {
        var settings = new Dictionary<string, string?> { ["NeuroMesh:Client:ClusterId"] = cluster, ["NeuroMesh:Client:ServiceId"] = cluster };
        foreach (var (gateway, i) in gateways.Select((g, i) => (g, i)))
        {
            settings[$"NeuroMesh:Client:Gateways:{i}"] = gateway;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.AddNeuroMeshClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), clustering);
            configure?.Invoke(client);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
