using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace NeuroMesh.Hosting;

/// <summary>
/// TLS for Orleans connections (silo to silo, client to gateway), bound from <c>NeuroMesh:Tls</c> on a silo node and
/// <c>NeuroMesh:Client:Tls</c> on a client. Each side presents its certificate (a PKCS#12 file, or a PEM certificate and
/// key) and accepts a remote certificate only when it chains to the configured certificate authority (<see cref="CaPath"/>),
/// so a client or silo without a certificate from that authority is refused during the handshake. Host names are not
/// checked (silos are addressed by IP); the authority is the trust anchor.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>The silo node's section.</summary>
    public const string SiloSectionName = "NeuroMesh:Tls";

    /// <summary>The client's section.</summary>
    public const string ClientSectionName = "NeuroMesh:Client:Tls";

    /// <summary>Whether TLS is on (off by default; then every other setting is ignored).</summary>
    public bool Enabled { get; set; }

    /// <summary>This side's certificate: a <c>.pfx</c>/<c>.p12</c> file (with its private key), or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM certificate of the authority every remote certificate must chain to.</summary>
    public string? CaPath { get; set; }

    /// <summary>The configuration section these settings came from, which every error message names (not bound from configuration).</summary>
    public string SectionName { get; private set; } = nameof(TlsSettings);

    /// <summary>Reads and validates the section at <paramref name="sectionName"/>.</summary>
    /// <exception cref="OptionsValidationException">TLS is enabled and a setting is invalid (the message names it).</exception>
    public static TlsSettings From(IConfiguration configuration, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new TlsSettings { SectionName = sectionName };
        configuration.GetSection(sectionName).Bind(settings);
        return settings.Problem() is { } problem
            ? throw new OptionsValidationException(sectionName, typeof(TlsSettings), [problem])
            : settings;
    }

    /// <summary>The first invalid setting, as a message naming it, or null (always null when TLS is off).</summary>
    public string? Problem()
    {
        var sectionName = SectionName;
        if (!Enabled)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) || !File.Exists(CertificatePath))
        {
            return $"{sectionName}:CertificatePath must name an existing certificate file when TLS is enabled (got '{CertificatePath}').";
        }

        if (!string.IsNullOrWhiteSpace(KeyPath) && !File.Exists(KeyPath))
        {
            return $"{sectionName}:KeyPath must name an existing PEM key file (got '{KeyPath}').";
        }

        return string.IsNullOrWhiteSpace(CaPath) || !File.Exists(CaPath)
            ? $"{sectionName}:CaPath must name an existing PEM CA certificate when TLS is enabled (got '{CaPath}')."
            : null;
    }

    /// <summary>Applies these settings to Orleans' <see cref="TlsOptions"/>: this side's certificate, a required remote certificate, and the CA check.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid or a file cannot be read as a certificate.</exception>
    public void Apply(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sectionName = SectionName;
        if (Problem() is { } problem)
        {
            throw new OptionsValidationException(sectionName, typeof(TlsSettings), [problem]);
        }

        X509Certificate2 certificate, authority;
        try
        {
            certificate = string.IsNullOrWhiteSpace(KeyPath)
                ? X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword)
                : X509Certificate2.CreateFromPemFile(CertificatePath!, KeyPath);
            authority = X509CertificateLoader.LoadCertificateFromFile(CaPath!);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new OptionsValidationException(sectionName, typeof(TlsSettings), [$"{sectionName}: the certificate files cannot be read ({e.Message})."]);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new OptionsValidationException(sectionName, typeof(TlsSettings), [$"{sectionName}:CertificatePath '{CertificatePath}' has no private key."]);
        }

        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, errors) => ChainsTo(remote, authority, errors);
    }

    /// <summary>True when <paramref name="remote"/> chains to <paramref name="authority"/> (names are not checked; a missing certificate never passes).</summary>
    /// <param name="remote">The remote side's certificate, if it sent one.</param>
    /// <param name="authority">The configured certificate authority.</param>
    /// <param name="errors">What the platform's own validation found.</param>
    public static bool ChainsTo(X509Certificate2? remote, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if (remote is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }
}
