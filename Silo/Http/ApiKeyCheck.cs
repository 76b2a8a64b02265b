using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Who a request comes from, as far as the gateway cares: the configured API key it presents (<c>X-Api-Key</c> or
/// <c>Authorization: Bearer</c>), compared in constant time, or no key at all.
/// </summary>
internal sealed class ApiKeyCheck
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly byte[][] _keyHashes;
    private readonly HashSet<string> _allowedHosts;

    public ApiKeyCheck(IOptions<GatewayOptions> options)
    {
        Options = options.Value;
        _keyHashes = [.. Options.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];
        _allowedHosts = new(Options.AllowedHosts.Count > 0 ? Options.AllowedHosts : LoopbackNames, StringComparer.OrdinalIgnoreCase);
    }

    public GatewayOptions Options { get; }

    /// <summary>The index of the configured key the request presents, or -1 when it presents none that matches.</summary>
    public int KeyIndex(HttpContext context)
    {
        var presented = Presented(context.Request);
        if (presented is null || _keyHashes.Length == 0)
        {
            return -1;
        }

        // Hashing first makes every comparison the same length; every configured key is compared, so the time does not
        // tell which one (if any) matched.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var found = -1;
        for (var i = 0; i < _keyHashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _keyHashes[i]))
            {
                found = i;
            }
        }

        return found;
    }

    /// <summary>
    /// Whether the request may change the cluster. Without keys that is a client whose connection comes from a loopback
    /// address, whose <c>Host</c> names an allowed host (<see cref="GatewayOptions.AllowedHosts"/>), and whose
    /// <c>Origin</c>, when it sends one, is the gateway itself. Host and Origin are the client's to set, so they only ever
    /// narrow the trust the address gives: a page of another site sends its own Origin, and a page whose name was rebound
    /// to 127.0.0.1 (DNS rebinding) sends its own name as Host and Origin, so neither can deploy, start or inject through
    /// the loopback trust (form posts and WebSockets are not stopped by CORS).
    /// </summary>
    public bool MayMutate(HttpContext context)
        => _keyHashes.Length == 0 ? IsLoopback(context) && IsAllowedHost(context.Request) && IsSameOrigin(context.Request) : KeyIndex(context) >= 0;

    /// <summary>Whether the request may read.</summary>
    public bool MayRead(HttpContext context) => Options.OpenReads || MayMutate(context);

    /// <summary>The rate-limiting partition: the key's index when it presents a valid key, otherwise its address.</summary>
    public string Partition(HttpContext context)
    {
        var key = KeyIndex(context);
        return key >= 0 ? $"key:{key}" : $"ip:{context.Connection.RemoteIpAddress}";
    }

    /// <summary>The 401 answer, saying what is missing.</summary>
    public IResult Unauthorized(bool mutation) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Unauthorized",
        detail: _keyHashes.Length == 0
            ? "This gateway has no API keys configured, so only loopback clients that name an allowed host (NeuroMesh:Gateway:AllowedHosts; by default localhost, 127.0.0.1 and [::1]) and, from a browser, come from this gateway's own origin may " + (mutation ? "change the cluster" : "read") + "; configure NeuroMesh:Gateway:ApiKeys to allow others."
            : (mutation ? "Changing the cluster" : "Reading") + " needs a configured API key in the X-Api-Key header or as an Authorization: Bearer token.");

    private static bool IsLoopback(HttpContext context)
        => context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);

    // The Host header's name (without the port) is one this gateway answers to. HTTP/1.1 requires Host; no Host is refused.
    private bool IsAllowedHost(HttpRequest request)
        => request.Host.HasValue && _allowedHosts.Contains(request.Host.Host);

    // No Origin (curl, the clients, a same-origin GET) or exactly this gateway's scheme://host[:port].
    private static bool IsSameOrigin(HttpRequest request)
        => !request.Headers.TryGetValue("Origin", out var origin)
            || (origin.Count == 1 && string.Equals(origin[0], $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase));

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var key) && key.Count == 1 && !string.IsNullOrEmpty(key[0]))
        {
            return key[0];
        }

        var authorization = request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value["Bearer ".Length..].Trim();
        }

        // Browsers cannot set headers on EventSource or WebSocket requests; a key in the query string is accepted there
        // only (elsewhere it would end up in logs and browser history for no reason).
        return request.Path.StartsWithSegments("/spikes", StringComparison.OrdinalIgnoreCase)
            && request.Query.TryGetValue("apiKey", out var query) && query.Count == 1 ? query[0] : null;
    }
}
