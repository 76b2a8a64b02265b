using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroMesh.Cluster;
using NeuroMesh.Simulation;
using Orleans.Configuration;

namespace NeuroMesh.Hosting;

/// <summary>Wires an Orleans client to a NeuroMesh cluster.</summary>
public static class NeuroMeshClientBuilderExtensions
{
    /// <summary>
    /// Points the client at the cluster's gateways from <c>NeuroMesh:Client</c> (by default the local silo node's gateway,
    /// 127.0.0.1:30000, cluster and service id <c>dev</c>), retries a connection <see cref="NeuroMeshClientOptions.ConnectAttempts"/>
    /// times, and registers the silos' <see cref="ArraySegmentOfByteCodec"/>, whose encoding a client without it could not
    /// read, the run taps' stream provider (<see cref="SpikeTaps.ProviderName"/>), Orleans' activity propagation (a call made
    /// inside a traced activity carries its trace to the silos), and TLS to the gateways when <c>NeuroMesh:Client:Tls:Enabled</c>
    /// (see <see cref="TlsSettings"/>). An invalid setting throws here, naming the setting.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configuration">Configuration holding the <c>NeuroMesh:Client</c> section.</param>
    /// <param name="clustering">
    /// The extension point for membership-based gateway discovery (for example ADO.NET clustering on PostgreSQL): when
    /// given, it configures the client's clustering and the static gateway list is not used.
    /// </param>
    /// <exception cref="OptionsValidationException">A <c>NeuroMesh:Client</c> setting is invalid.</exception>
    public static IClientBuilder AddNeuroMeshClient(this IClientBuilder builder, IConfiguration configuration, Action<IClientBuilder>? clustering = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new NeuroMeshClientOptions();
        configuration.GetSection(NeuroMeshClientOptions.SectionName).Bind(options);
        if (TlsSettings.From(configuration, TlsSettings.ClientSectionName) is { Enabled: true } tls)
        {
            builder.UseTls(tls.Apply);
        }

        return builder.AddNeuroMeshClient(options, clustering);
    }

    /// <summary>As <see cref="AddNeuroMeshClient(IClientBuilder, IConfiguration, Action{IClientBuilder}?)"/>, from options built in code.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid.</exception>
    public static IClientBuilder AddNeuroMeshClient(this IClientBuilder builder, NeuroMeshClientOptions options, Action<IClientBuilder>? clustering = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new OptionsValidationException(NeuroMeshClientOptions.SectionName, typeof(NeuroMeshClientOptions), [problem]);
        }

        ArraySegmentOfByteCodec.AddTo(builder.Services);
        builder.AddActivityPropagation();
        builder.AddMemoryStreams(SpikeTaps.ProviderName);
        if (clustering is null)
        {
            builder.UseStaticClustering(options.Endpoints());
        }
        else
        {
            clustering(builder);
        }

        builder.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        builder.Services.AddSingleton(new GatewayRetryFilter(options.ConnectAttempts, TimeSpan.FromMilliseconds(options.ConnectRetryDelayMs)));
        builder.Services.AddSingleton<IClientConnectionRetryFilter>(sp => sp.GetRequiredService<GatewayRetryFilter>());
        return builder;
    }
}
