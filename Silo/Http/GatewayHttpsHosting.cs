using System.Globalization;
using System.Security.Authentication;
using Microsoft.Extensions.Options;
using NeuroMesh.Hosting;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// HTTPS on the HTTP gateway (<see cref="GatewayHttpsOptions"/>): Kestrel serves every <c>https://</c> address in <c>Urls</c>
/// with the configured certificate (TLS 1.2 and 1.3), HTTPS answers carry HSTS, and a request over plain HTTP is redirected
/// or refused (<see cref="PlainHttpMode"/>), except <c>/health/*</c>, which probes reach either way.
/// </summary>
public static class GatewayHttpsHosting
{
    /// <summary>
    /// Reads <c>NeuroMesh:Gateway:Https</c> against <c>Urls</c>, loads and checks the certificate and gives it to Kestrel. Runs
    /// before the host is built, so that a bad setting stops the node before anything listens.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting or the certificate is invalid; the message names the setting.</exception>
    public static WebApplicationBuilder AddNeuroMeshHttps(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var options = new GatewayHttpsOptions();
        try
        {
            configuration.GetSection(GatewayHttpsOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(GatewayHttpsOptions.Section, typeof(GatewayHttpsOptions), [$"{GatewayHttpsOptions.Section}: {e.Message}"]);
        }

        var addresses = Addresses(configuration);
        var cluster = TlsSettings.From(configuration, TlsSettings.SiloSectionName);
        if (options.Problem(addresses, cluster.Enabled) is { } problem)
        {
            throw new OptionsValidationException(GatewayHttpsOptions.Section, typeof(GatewayHttpsOptions), [problem]);
        }

        if (!options.Enabled)
        {
            return builder;
        }

        var certificate = GatewayCertificate.Load(options, cluster, DateTimeOffset.UtcNow);
        var port = options.RedirectPort ?? addresses.First(GatewayHttpsOptions.IsHttps).Port;
        builder.Services.AddSingleton(new GatewayHttps(options, certificate, port));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate.Certificate;
            https.ServerCertificateChain = certificate.Chain.Count > 0 ? certificate.Chain : null;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        }));
        return builder;
    }

    /// <summary>Adds HSTS and the plain-HTTP answer (when HTTPS is on) and logs the certificate in use; call it first.</summary>
    public static WebApplication UseNeuroMeshHttps(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<GatewayHttps>() is not { } https)
        {
            return app;
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayHttpsHosting));
        var certificate = https.Certificate;
        if (certificate.SelfSigned)
        {
            log.LogWarning(
                "DEVELOPMENT ONLY: the HTTPS gateway serves a self-signed certificate made at start (SHA-256 {Fingerprint}), which clients trust only by pinning it{Written}; no HSTS is sent. Set {Section}:CertificatePath for anything else.",
                certificate.Fingerprint,
                https.Options.SelfSignedCertificateOut is { Length: > 0 } written ? $" (written to {written})" : string.Empty,
                GatewayHttpsOptions.Section);
        }
        else
        {
            log.LogInformation("HTTPS gateway: {Source}, {Subject}, SHA-256 {Fingerprint}, valid until {NotAfter:u}", certificate.Source, certificate.Certificate.Subject, certificate.Fingerprint, certificate.Certificate.NotAfter.ToUniversalTime());
            if (certificate.ExpiryWarning(DateTimeOffset.UtcNow, https.Options.ExpiryWarningDays) is { } warning)
            {
                log.LogWarning("{Warning}", warning);
            }
        }

        app.Use(https.HandleAsync);
        return app;
    }

    /// <summary>The listening addresses from <c>Urls</c> (or, without it, <c>https_ports</c>/<c>http_ports</c>), as Kestrel reads them.</summary>
    internal static IReadOnlyList<BindingAddress> Addresses(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];
        }

        var ports = (configuration["https_ports"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"https://*:{p}")
            .Concat((configuration["http_ports"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"))
            .ToArray();
        return ports.Length > 0 ? [.. ports.Select(Parse)] : [Parse("http://localhost:5000")];
    }

    private static BindingAddress Parse(string url)
    {
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            throw new OptionsValidationException("Urls", typeof(GatewayHttpsOptions), [$"Urls: '{url}' is not a listening address ({e.Message})."]);
        }
    }
}

/// <summary>The running HTTPS gateway: its settings, its certificate and the port a redirect names.</summary>
internal sealed class GatewayHttps(GatewayHttpsOptions options, GatewayCertificate certificate, int port)
{
    private readonly string? _hsts = options.HstsMaxAgeSeconds > 0 && !certificate.SelfSigned
        ? $"max-age={options.HstsMaxAgeSeconds.ToString(CultureInfo.InvariantCulture)}" + (options.HstsIncludeSubDomains ? "; includeSubDomains" : string.Empty)
        : null;

    public GatewayHttpsOptions Options { get; } = options;

    public GatewayCertificate Certificate { get; } = certificate;

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.IsHttps)
        {
            if (_hsts is { } hsts)
            {
                // On start, so that an exception handler that clears the headers does not drop it.
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.StrictTransportSecurity = hsts;
                    return Task.CompletedTask;
                });
            }

            await next(context);
            return;
        }

        if (request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var host = request.Host.HasValue ? request.Host.Host : "localhost";
        var target = $"https://{new HostString(host, port).ToUriComponent()}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}";
        if (Options.PlainHttp == PlainHttpMode.Redirect && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = target;
            return;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "HTTPS required",
            detail: Options.PlainHttp == PlainHttpMode.Redirect
                ? $"this gateway takes {request.Method} requests over HTTPS only (anything sent over plain HTTP, an API key included, went in clear text): use {target}"
                : $"this gateway serves over HTTPS only: use {target}").ExecuteAsync(context);
    }
}
