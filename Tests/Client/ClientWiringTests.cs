using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NeuroMesh.Hosting;
using Orleans.Configuration;
using Orleans.Messaging;

namespace NeuroMesh.Tests.Client;

/// <summary>What AddNeuroMeshClient registers: the static gateway list by default, or the caller's clustering instead.</summary>
[Trait("Tier", "Unit")]
public sealed class ClientWiringTests
{
    [Fact]
    public void The_static_gateway_list_is_the_default_and_a_clustering_hook_replaces_it()
    {
        var configuration = new ConfigurationBuilder().Build();
        var plain = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        plain.UseOrleansClient(client => client.AddNeuroMeshClient(configuration));
        Assert.Contains(plain.Services, d => d.ServiceType == typeof(IGatewayListProvider));
        Assert.Contains(plain.Services, d => d.ImplementationInstance is GatewayRetryFilter { Attempts: 5 });

        var calls = 0;
        var hooked = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        hooked.UseOrleansClient(client => client.AddNeuroMeshClient(configuration, clustering: _ => calls++));
        Assert.Equal(1, calls);
        Assert.DoesNotContain(hooked.Services, d => d.ServiceType == typeof(IGatewayListProvider));
    }

    [Fact]
    public void A_default_node_runs_with_the_cluster_and_service_id_a_default_client_asks_for()
    {
        // Orleans' UseLocalhostClustering left "default" in place when given its own defaults ("dev"), so the node
        // refused every client that asked for "dev" ("Unexpected cluster id").
        var node = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        node.UseOrleans(silo => silo.UseNeuroMeshClustering(new ConfigurationBuilder().Build()));
        using var host = node.Build();
        var ids = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        var client = new NeuroMeshClientOptions();

        Assert.Equal((client.ClusterId, client.ServiceId), (ids.ClusterId, ids.ServiceId));
    }
}
