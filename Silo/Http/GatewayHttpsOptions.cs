namespace NeuroMesh.Silo.Http;

/// <summary>
/// HTTPS for the HTTP gateway (<c>NeuroMesh:Gateway:Https</c>): the server certificate, what a plain-HTTP request gets, and
/// HSTS. The listening addresses stay in <c>Urls</c>: an <c>https://</c> address there is served with this certificate.
/// </summary>
public sealed class GatewayHttpsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NeuroMesh:Gateway:Https";

    /// <summary>Whether the gateway serves HTTPS (off by default). Then <c>Urls</c> must list an <c>https://</c> address.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The server certificate: a PEM certificate (its chain may follow it in the file) with <see cref="KeyPath"/>, a PEM file
    /// holding both, or a PKCS#12 (<c>.pfx</c>) file. Unset with <c>NeuroMesh:Tls:Enabled</c>: the cluster's certificate.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/> (PKCS#8, RSA or EC; encrypted with <see cref="CertificatePassword"/>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 <see cref="CertificatePath"/> or of an encrypted PEM <see cref="KeyPath"/>.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Development only: a throwaway self-signed certificate for <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c>, made at each
    /// start (a warning says so). Clients trust it only by pinning it (<see cref="SelfSignedCertificateOut"/>). No HSTS is sent.
    /// </summary>
    public bool SelfSigned { get; set; }

    /// <summary>Where a <see cref="SelfSigned"/> node writes its certificate (PEM, no key), for clients to pin.</summary>
    public string? SelfSignedCertificateOut { get; set; }

    /// <summary>What a request over plain HTTP gets (when <c>Urls</c> also lists an <c>http://</c> address).</summary>
    public PlainHttpMode PlainHttp { get; set; } = PlainHttpMode.Redirect;

    /// <summary>
    /// The port a redirect names; default: the port of the <c>https://</c> address in <c>Urls</c>. Set it when clients reach
    /// the gateway through another port (a container's published port, a load balancer).
    /// </summary>
    public int? RedirectPort { get; set; }

    /// <summary>The <c>max-age</c> of the <c>Strict-Transport-Security</c> header on HTTPS answers; 0 sends none. Default one year.</summary>
    public long HstsMaxAgeSeconds { get; set; } = 365L * 24 * 3600;

    /// <summary>Whether the HSTS header covers subdomains too (<c>includeSubDomains</c>). Default false.</summary>
    public bool HstsIncludeSubDomains { get; set; }

    /// <summary>The certificate's days left under which the node logs a warning at start. Default 30.</summary>
    public int ExpiryWarningDays { get; set; } = 30;

    /// <summary>Null when the settings are consistent with <paramref name="urls"/>, otherwise why not (naming the setting).</summary>
    /// <param name="urls">The listening addresses (<c>Urls</c>).</param>
    /// <param name="clusterCertificate">Whether <c>NeuroMesh:Tls</c> provides a certificate to fall back on.</param>
    public string? Problem(IReadOnlyList<BindingAddress> urls, bool clusterCertificate)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var https = urls.Any(IsHttps);
        if (!Enabled)
        {
            return https
                ? $"Urls lists an https:// address but {Section}:Enabled is false: set it and a certificate ({Section}:CertificatePath), or listen on http:// only."
                : null;
        }

        if (!https)
        {
            return $"{Section}:Enabled is true but Urls lists no https:// address (got '{string.Join(';', urls)}'); add one, such as https://+:8443.";
        }

        if (SelfSigned && !string.IsNullOrWhiteSpace(CertificatePath))
        {
            return $"{Section}:SelfSigned and {Section}:CertificatePath are both set; a node uses one certificate: unset SelfSigned (development only) or CertificatePath.";
        }

        if (!SelfSigned && string.IsNullOrWhiteSpace(CertificatePath) && !clusterCertificate)
        {
            return $"{Section}:CertificatePath must name the gateway's certificate when HTTPS is enabled (or set NeuroMesh:Tls, whose certificate is then used, or {Section}:SelfSigned for development).";
        }

        if (!string.IsNullOrWhiteSpace(KeyPath) && string.IsNullOrWhiteSpace(CertificatePath))
        {
            return $"{Section}:KeyPath is set without {Section}:CertificatePath.";
        }

        if (!Enum.IsDefined(PlainHttp))
        {
            return $"{Section}:PlainHttp must be Redirect or Refuse (got {PlainHttp}).";
        }

        if (RedirectPort is < 1 or > 65535)
        {
            return $"{Section}:RedirectPort must be a port in [1, 65535] (got {RedirectPort}).";
        }

        if (HstsMaxAgeSeconds < 0)
        {
            return $"{Section}:HstsMaxAgeSeconds must be 0 (no HSTS) or more (got {HstsMaxAgeSeconds}).";
        }

        return ExpiryWarningDays < 0 ? $"{Section}:ExpiryWarningDays must be 0 or more (got {ExpiryWarningDays})." : null;
    }

    /// <summary>Whether <paramref name="address"/> is an <c>https://</c> one.</summary>
    internal static bool IsHttps(BindingAddress address) => string.Equals(address.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
}
