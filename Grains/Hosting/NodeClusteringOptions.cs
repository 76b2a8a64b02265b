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
    /// primary in <see cref="PrimarySiloEndpoint"/>) or <c>Postgres</c> (Orleans' ADO.NET clustering on the PostgreSQL
    /// database of <see cref="ConnectionString"/>, whose schema NeuroMesh creates and migrates).
    /// </summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>For <c>Postgres</c> clustering: the Npgsql connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The address this silo advertises to the others (Postgres clustering; default: loopback, as in tests and
    /// <c>deploy/local-cluster.sh</c>). In containers, the pod or container IP, or <c>auto</c>: the host's first
    /// non-loopback IPv4 address (for docker-compose, where the container IP is not known in advance).
    /// </summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>The address to advertise, resolving <c>auto</c>.</summary>
    /// <exception cref="InvalidOperationException"><c>auto</c> and the host has no non-loopback IPv4 address.</exception>
    public IPAddress Advertised()
    {
        if (string.IsNullOrEmpty(AdvertisedIp))
        {
            return IPAddress.Loopback;
        }

        if (!AdvertisedIp.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Parse(AdvertisedIp);
        }

        return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? throw new InvalidOperationException($"{SectionName}:AdvertisedIp is 'auto' but this host has no non-loopback IPv4 address; set the address.");
    }

    /// <summary>Whether the provider is <c>Postgres</c>.</summary>
    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

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
        if (!IsPostgres && !Provider.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"{SectionName}:Provider must be Localhost or Postgres (got '{Provider}').";
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"{SectionName}:ConnectionString is required when {SectionName}:Provider is Postgres.";
        }

        if (IsPostgres && !string.IsNullOrEmpty(PrimarySiloEndpoint))
        {
            return $"{SectionName}:PrimarySiloEndpoint applies to Localhost clustering only; Postgres clustering finds the silos in the database.";
        }

        if (!string.IsNullOrEmpty(AdvertisedIp) && !AdvertisedIp.Equals("auto", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(AdvertisedIp, out _))
        {
            return $"{SectionName}:AdvertisedIp must be an IP address or auto (got '{AdvertisedIp}').";
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
