using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Hosting;
using Orleans.Messaging;

namespace NeuroMesh.Tests.Client;

/// <summary>What AddNeuroMeshClient registers: the static gateway list by default, or the caller's clustering instead.</summary>
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
}
