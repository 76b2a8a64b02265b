namespace NeuroMesh.Silo.Http;

/// <summary>
/// The HTTP gateway's settings (<c>NeuroMesh:Gateway</c>): who may change the cluster, how much a request may carry and
/// how fast a client may send, and how many spikes a live tap sends to one browser.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NeuroMesh:Gateway";

    /// <summary>
    /// Keys accepted in the <c>X-Api-Key</c> header or as <c>Authorization: Bearer</c> tokens. When none is configured,
    /// mutating endpoints answer only clients on a loopback address (the embedded default); anyone else gets 401.
    /// </summary>
    public List<string> ApiKeys { get; init; } = [];

    /// <summary>
    /// The host names a gateway without keys trusts in a loopback client's <c>Host</c> (and <c>Origin</c>) header, compared
    /// without the port. Empty (the default) means the loopback names only: <c>localhost</c>, <c>127.0.0.1</c> and
    /// <c>[::1]</c>. A page of another site whose name was rebound to 127.0.0.1 sends its own name, so it is refused.
    /// </summary>
    public List<string> AllowedHosts { get; init; } = [];

    /// <summary>Whether read-only endpoints (GET, the spike taps, the web UI's data) are open without a key. Default true.</summary>
    public bool OpenReads { get; set; } = true;

    /// <summary>The largest request body accepted, in bytes (413 above it). Default 4 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Mutating requests one client (API key, or address when it has none) may send per <see cref="RateWindowSeconds"/> (429 above it).</summary>
    public int MutationsPerWindow { get; set; } = 200;

    /// <summary>Read requests one client may send per <see cref="RateWindowSeconds"/> (429 above it).</summary>
    public int ReadsPerWindow { get; set; } = 2000;

    /// <summary>The rate-limiting window in seconds.</summary>
    public double RateWindowSeconds { get; set; } = 10;

    /// <summary>
    /// The most spikes per second one live tap (SSE or WebSocket) sends; the rest are sampled away and counted in the
    /// events, so a browser never drowns and nothing goes missing unannounced. Default 5000.
    /// </summary>
    public int MaxSpikesPerSecond { get; set; } = 5000;

    /// <summary>Null when valid, otherwise why not (naming the setting).</summary>
    public string? Problem()
    {
        if (ApiKeys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length < 16))
        {
            return $"{Section}:ApiKeys: every key must be at least 16 characters (a short key is guessable).";
        }

        if (AllowedHosts.Any(h => string.IsNullOrWhiteSpace(h) || h == "*" || h.Contains(':', StringComparison.Ordinal) && !h.StartsWith('[')))
        {
            return $"{Section}:AllowedHosts: each entry is one host name or address without a port ('*' would trust every name).";
        }

        if (MaxBodyBytes < 1024)
        {
            return $"{Section}:MaxBodyBytes must be at least 1024 (got {MaxBodyBytes}).";
        }

        if (MutationsPerWindow < 1 || ReadsPerWindow < 1)
        {
            return $"{Section}:MutationsPerWindow and ReadsPerWindow must be at least 1.";
        }

        if (!(RateWindowSeconds > 0 && RateWindowSeconds <= 3600))
        {
            return $"{Section}:RateWindowSeconds must be in (0, 3600] (got {RateWindowSeconds}).";
        }

        return MaxSpikesPerSecond < 1 ? $"{Section}:MaxSpikesPerSecond must be at least 1 (got {MaxSpikesPerSecond})." : null;
    }
}
