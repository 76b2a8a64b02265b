using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NeuroMesh.Cluster;
using Orleans.Configuration;

namespace NeuroMesh.Hosting;

/// <summary>Wires an Orleans client to a NeuroMesh cluster.</summary>
public static class NeuroMeshClientBuilderExtensions
{
    /// <summary>
    /// Points the client at the cluster's gateways from <c>NeuroMesh:Client</c> (by default the local silo node's gateway,
    /// 127.0.0.1:30000, cluster and service id <c>dev</c>), and registers the silos' <see cref="ArraySegmentOfByteCodec"/>, whose
    /// encoding a client without it could not read, and Orleans' activity propagation (a call made inside a traced activity
    /// carries its trace to the silos), and TLS to the gateways when <c>NeuroMesh:Client:Tls:Enabled</c> (see <see cref="TlsSettings"/>). An invalid setting throws here, naming the setting.
    /// </summary>
    /// <exception cref="OptionsValidationException">A <c>NeuroMesh:Client</c> setting is invalid.</exception>
    public static IClientBuilder AddNeuroMeshClient(this IClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new NeuroMeshClientOptions();
        configuration.GetSection(NeuroMeshClientOptions.SectionName).Bind(options);
        if (options.Problem() is { } problem)
        {
            throw new OptionsValidationException(NeuroMeshClientOptions.SectionName, typeof(NeuroMeshClientOptions), [problem]);
        }

        ArraySegmentOfByteCodec.AddTo(builder.Services);
        builder.AddActivityPropagation();
        var tls = TlsSettings.From(configuration, TlsSettings.ClientSectionName);
        if (tls.Problem(TlsSettings.ClientSectionName) is { } tlsProblem)
        {
            throw new OptionsValidationException(TlsSettings.ClientSectionName, typeof(TlsSettings), [tlsProblem]);
        }

        if (tls.Enabled)
        {
            builder.UseTls(o => tls.Apply(o, TlsSettings.ClientSectionName));
        }

        var endpoints = options.Endpoints();
        builder.UseStaticClustering(endpoints);
        builder.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        return builder;
    }
}
