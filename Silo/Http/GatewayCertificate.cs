using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using NeuroMesh.Hosting;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// The HTTPS gateway's server certificate, loaded and checked once at start: a file that is missing or unreadable, a key
/// that does not match, a certificate that has expired or is not yet valid, or one not meant for servers stops the node
/// with a message naming the setting.
/// </summary>
internal sealed class GatewayCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private GatewayCertificate(X509Certificate2 certificate, X509Certificate2Collection chain, string source, bool selfSigned)
    {
        Certificate = certificate;
        Chain = chain;
        Source = source;
        SelfSigned = selfSigned;
    }

    /// <summary>The server certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediate certificates that followed it in a PEM file (sent in the handshake); often empty.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>Which setting the certificate came from, for the start-up log.</summary>
    public string Source { get; }

    /// <summary>Whether it is the development-only self-signed certificate.</summary>
    public bool SelfSigned { get; }

    /// <summary>The SHA-256 fingerprint of the certificate, as clients pin it (hex, upper case, colon-separated).</summary>
    public string Fingerprint => Convert.ToHexString(Certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);

    /// <summary>Loads the certificate <paramref name="options"/> name (or <paramref name="cluster"/>'s when they name none) and checks it against <paramref name="now"/>.</summary>
    /// <exception cref="OptionsValidationException">The certificate cannot be used; the message names the setting.</exception>
    public static GatewayCertificate Load(GatewayHttpsOptions options, TlsSettings? cluster, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SelfSigned)
        {
            return CreateSelfSigned(options, now);
        }

        var own = !string.IsNullOrWhiteSpace(options.CertificatePath) || cluster is not { Enabled: true };
        var section = own ? GatewayHttpsOptions.Section : TlsSettings.SiloSectionName;
        var path = own ? options.CertificatePath! : cluster!.CertificatePath!;
        var key = own ? options.KeyPath : cluster!.KeyPath;
        var password = own ? options.CertificatePassword : cluster!.CertificatePassword;

        X509Certificate2 certificate;
        X509Certificate2Collection chain;
        try
        {
            (certificate, chain) = Read(section, path, key, password);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the node's user may not read (a Secret mounted with the wrong mode) or a folder where a file belongs.
            throw Invalid($"{section}:CertificatePath or {section}:KeyPath cannot be read by this process ({e.Message}).");
        }

        Check(section, path, certificate, now);
        return new GatewayCertificate(certificate, chain, own ? $"{section}:CertificatePath '{path}'" : $"the cluster's certificate ({section}:CertificatePath '{path}')", selfSigned: false);
    }

    /// <summary>A warning when the certificate runs out within <paramref name="days"/> days of <paramref name="now"/>, else null.</summary>
    public string? ExpiryWarning(DateTimeOffset now, int days)
    {
        var left = Certificate.NotAfter.ToUniversalTime() - now.UtcDateTime;
        return !SelfSigned && left < TimeSpan.FromDays(days)
            ? $"the HTTPS certificate ({Source}) expires on {Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, in {left.TotalDays:0.#} days; renew it and restart the node"
            : null;
    }

    private static (X509Certificate2 Certificate, X509Certificate2Collection Chain) Read(string section, string path, string? keyPath, string? password)
    {
        if (!File.Exists(path))
        {
            throw Invalid($"{section}:CertificatePath must name an existing certificate file (got '{path}').");
        }

        if (!string.IsNullOrWhiteSpace(keyPath) && !File.Exists(keyPath))
        {
            throw Invalid($"{section}:KeyPath must name an existing PEM key file (got '{keyPath}').");
        }

        var pem = IsPem(path);
        if (!pem)
        {
            if (!string.IsNullOrWhiteSpace(keyPath))
            {
                throw Invalid($"{section}:KeyPath is set but {section}:CertificatePath '{path}' is not a PEM certificate; a PKCS#12 file carries its own key (unset KeyPath).");
            }

            try
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
                return certificate.HasPrivateKey
                    ? (certificate, [])
                    : throw Invalid($"{section}:CertificatePath '{path}' holds no private key; a PKCS#12 file must carry the certificate's key.");
            }
            catch (CryptographicException e)
            {
                throw Invalid(IsPkcs12(path)
                    ? $"{section}:CertificatePassword does not open the PKCS#12 file in {section}:CertificatePath '{path}' ({FirstLine(e.Message)})."
                    : $"{section}:CertificatePath '{path}' is neither a PEM certificate nor a PKCS#12 file.");
            }
        }

        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"{section}:CertificatePath '{path}' holds no readable PEM certificate ({FirstLine(e.Message)}).");
        }

        if (all.Count == 0)
        {
            throw Invalid($"{section}:CertificatePath '{path}' holds no PEM certificate.");
        }

        var source = string.IsNullOrWhiteSpace(keyPath) ? path : keyPath;
        var setting = string.IsNullOrWhiteSpace(keyPath) ? $"{section}:CertificatePath" : $"{section}:KeyPath";
        var keyText = File.ReadAllText(source);
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw Invalid(string.IsNullOrWhiteSpace(keyPath)
                ? $"{section}:KeyPath is not set and {section}:CertificatePath '{path}' holds no PEM private key; set KeyPath to the certificate's key."
                : $"{setting} '{source}' holds no PEM private key.");
        }

        var encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (encrypted && string.IsNullOrEmpty(password))
        {
            throw Invalid($"{setting} '{source}' is an encrypted key; set {section}:CertificatePassword.");
        }

        try
        {
            var certificate = encrypted
                ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath)
                : X509Certificate2.CreateFromPemFile(path, keyPath);
            var chain = new X509Certificate2Collection();
            chain.AddRange(all.Skip(1).ToArray());
            return (certificate, chain);
        }
        catch (CryptographicException e)
        {
            throw Invalid(encrypted
                ? $"{setting} '{source}' cannot be decrypted with {section}:CertificatePassword, or is not the key of the certificate in {section}:CertificatePath ({FirstLine(e.Message)})."
                : $"{setting} '{source}' is not the private key of the certificate in {section}:CertificatePath '{path}' (the key does not match it).");
        }
    }

    private static void Check(string section, string path, X509Certificate2 certificate, DateTimeOffset now)
    {
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw Invalid($"{section}:CertificatePath '{path}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({certificate.Subject}); renew it.");
        }

        if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            throw Invalid($"{section}:CertificatePath '{path}' is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({certificate.Subject}); check the clock or the certificate.");
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usages is not null && !usages.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthentication))
        {
            throw Invalid($"{section}:CertificatePath '{path}' is not a server certificate: its extended key usage lacks serverAuth ({ServerAuthentication}).");
        }
    }

    private static GatewayCertificate CreateSelfSigned(GatewayHttpsOptions options, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=NeuroMesh development (self-signed)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        // Exported and read back, so that the key is a persisted one TLS can use on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        if (!string.IsNullOrWhiteSpace(options.SelfSignedCertificateOut))
        {
            try
            {
                File.WriteAllText(options.SelfSignedCertificateOut, certificate.ExportCertificatePem() + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid($"{GatewayHttpsOptions.Section}:SelfSignedCertificateOut '{options.SelfSignedCertificateOut}' cannot be written ({e.Message}).");
            }
        }

        return new GatewayCertificate(certificate, [], $"{GatewayHttpsOptions.Section}:SelfSigned", selfSigned: true);
    }

    private static bool IsPkcs12(string path)
    {
        try
        {
            return X509Certificate2.GetCertContentType(path) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsPem(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[4096];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.ASCII.GetString(head, 0, read).Contains("-----BEGIN ", StringComparison.Ordinal);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static OptionsValidationException Invalid(string message) => new(GatewayHttpsOptions.Section, typeof(GatewayHttpsOptions), [message]);
}
