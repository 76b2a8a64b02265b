using System.Net;

namespace NeuroMesh.Hosting;

/// <summary>
/// How a long-running silo node joins its cluster, bound from the <c>NeuroMesh:Clustering</c> configuration section.
/// The embedded default is one silo with localhost clustering on the well-known ports (11111 for silos, 30000 for clients).
/// </summary>
public sealed class NodeClusteringOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "NeuroMesh:Clustering";

    /// <summary>
    /// <c>Localhost</c> (development clustering: one silo, or several on one machine where every secondary names the
    /// primary in <see cref="PrimarySiloEndpoint"/>).
    /// </summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>The silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>For <c>Localhost</c> clustering of several silos: the primary silo's <c>ip:port</c>; empty on the primary itself.</summary>
    public string? PrimarySiloEndpoint { get; set; }

    /// <summary>The cluster id (clients must use the same).</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service id (clients must use the same).</summary>
    public string ServiceId { get; set; } = "dev";

    /// <summary>The first invalid setting, as a message naming it, or null.</summary>
    public string? Problem()
    {
        if (!Provider.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"{SectionName}:Provider must be Localhost (got '{Provider}').";
        }

        if (SiloPort is < 1 or > 65535)
        {
            return $"{SectionName}:SiloPort must be in [1, 65535] (got {SiloPort}).";
        }

        if (GatewayPort is < 1 or > 65535 || GatewayPort == SiloPort)
        {
            return $"{SectionName}:GatewayPort must be in [1, 65535] and differ from SiloPort (got {GatewayPort}).";
        }

        if (!string.IsNullOrEmpty(PrimarySiloEndpoint) && (!IPEndPoint.TryParse(PrimarySiloEndpoint, out var primary) || primary.Port == 0))
        {
            return $"{SectionName}:PrimarySiloEndpoint must be an IP endpoint such as 127.0.0.1:11111 (got '{PrimarySiloEndpoint}').";
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            return $"{SectionName}:ClusterId must not be empty.";
        }

        return string.IsNullOrWhiteSpace(ServiceId) ? $"{SectionName}:ServiceId must not be empty." : null;
    }

    /// <summary>The primary silo's endpoint, or null on the primary.</summary>
    public IPEndPoint? Primary() => string.IsNullOrEmpty(PrimarySiloEndpoint) ? null : IPEndPoint.Parse(PrimarySiloEndpoint);
}
