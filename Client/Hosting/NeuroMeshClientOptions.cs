using System.Net;

namespace NeuroMesh.Hosting;

/// <summary>How a client reaches a NeuroMesh cluster, bound from the <c>NeuroMesh:Client</c> configuration section.</summary>
public sealed class NeuroMeshClientOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Client";

    /// <summary>Gateway endpoints as <c>host:port</c> (IP addresses); empty: the local silo's gateway on <see cref="GatewayPort"/>.</summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>The local gateway port used when <see cref="Gateways"/> is empty (the silo node's default is 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster id the silos run with (the embedded default's is <c>dev</c>).</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service id the silos run with (the embedded default's is <c>dev</c>).</summary>
    public string ServiceId { get; set; } = "dev";

    /// <summary>How many times the client tries the gateways before it gives up (1 or more; the first try counts).</summary>
    public int ConnectAttempts { get; set; } = 5;

    /// <summary>Milliseconds between two connection attempts (0 to 60000).</summary>
    public int ConnectRetryDelayMs { get; set; } = 1000;

    /// <summary>The first invalid setting, as a message naming it, or null.</summary>
    public string? Problem()
    {
        if (Gateways.Count == 0 && GatewayPort is < 1 or > 65535)
        {
            return $"{SectionName}:GatewayPort must be in [1, 65535] (got {GatewayPort}).";
        }

        for (var i = 0; i < Gateways.Count; i++)
        {
            if (!IPEndPoint.TryParse(Gateways[i] ?? string.Empty, out var endpoint) || endpoint.Port == 0)
            {
                return $"{SectionName}:Gateways:{i} must be an IP endpoint such as 127.0.0.1:30000 (got '{Gateways[i]}').";
            }
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            return $"{SectionName}:ClusterId must not be empty.";
        }

        if (ConnectAttempts < 1)
        {
            return $"{SectionName}:ConnectAttempts must be 1 or more (got {ConnectAttempts}).";
        }

        if (ConnectRetryDelayMs is < 0 or > 60_000)
        {
            return $"{SectionName}:ConnectRetryDelayMs must be in [0, 60000] (got {ConnectRetryDelayMs}).";
        }

        return string.IsNullOrWhiteSpace(ServiceId) ? $"{SectionName}:ServiceId must not be empty." : null;
    }

    /// <summary>The gateway endpoints as text, for messages (<c>127.0.0.1:30000, ...</c>).</summary>
    public string DescribeEndpoints() => string.Join(", ", Endpoints().Select(e => e.ToString()));

    /// <summary>The gateway endpoints.</summary>
    public IPEndPoint[] Endpoints() => Gateways.Count == 0
        ? [new IPEndPoint(IPAddress.Loopback, GatewayPort)]
        : [.. Gateways.Select(IPEndPoint.Parse)];
}
