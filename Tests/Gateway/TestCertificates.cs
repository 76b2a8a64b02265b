using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NeuroMesh.Tests.Gateway;

/// <summary>
/// Certificates made at test time (<see cref="CertificateRequest"/>): a throwaway CA and server certificates it issues for
/// 127.0.0.1 and localhost, written as PEM or PKCS#12 files into a folder, and HTTP clients that trust exactly that CA.
/// </summary>
internal sealed class TestCertificates(string directory)
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public string Directory { get; } = directory;

    /// <summary>A self-signed CA certificate (with its key), valid from yesterday for a year.</summary>
    public static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>Writes <paramref name="certificate"/> (no key) as PEM to <paramref name="file"/> and returns its path.</summary>
    public string WritePem(X509Certificate2 certificate, string file)
    {
        var path = Path.Combine(Directory, file);
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>
    /// A server certificate from <paramref name="authority"/> for 127.0.0.1 and localhost, written as <c>NAME.crt</c> and
    /// <c>NAME.key</c> (PEM, unencrypted PKCS#8); returns the two paths and the certificate.
    /// </summary>
    public (string Certificate, string Key, X509Certificate2 Issued) IssuePem(X509Certificate2 authority, string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string usage = ServerAuthentication)
    {
        using var key = RSA.Create(2048);
        var issued = Issue(authority, key, name, notBefore, notAfter, usage);
        var certificate = WritePem(issued, $"{name}.crt");
        var keyPath = Path.Combine(Directory, $"{name}.key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificate, keyPath, issued);
    }

    /// <summary>As <see cref="IssuePem"/>, written as one PKCS#12 file <c>NAME.pfx</c> with <paramref name="password"/>.</summary>
    public string IssuePfx(X509Certificate2 authority, string name, string password)
    {
        using var key = RSA.Create(2048);
        using var issued = Issue(authority, key, name, null, null, ServerAuthentication);
        using var withKey = issued.CopyWithPrivateKey(key);
        var path = Path.Combine(Directory, $"{name}.pfx");
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    /// <summary>A client certificate usage, for a certificate that is not meant for servers.</summary>
    public static string ClientOnly => ClientAuthentication;

    /// <summary>
    /// An HTTP handler that accepts a server certificate only when it chains to <paramref name="authority"/> and names the
    /// host (the platform's name check stays on); nothing else is trusted, not even the machine's CAs.
    /// </summary>
    public static SocketsHttpHandler Trusting(X509Certificate2 authority, bool allowRedirects = true) => new()
    {
        AllowAutoRedirect = allowRedirects,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(certificate, authority, errors) },
    };

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="authority"/> and the platform found no name mismatch.</summary>
    public static bool ChainsTo(X509Certificate? certificate, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, RSA key, string name, DateTimeOffset? notBefore, DateTimeOffset? notAfter, string usage)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var from = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        return request.Create(authority, from, to, serial);
    }
}
