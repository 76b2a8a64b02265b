using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// The one mutation budget per client (<see cref="ApiKeyCheck.Partition"/>: its key, or its address without one):
/// <see cref="GatewayOptions.MutationsPerWindow"/> per <see cref="GatewayOptions.RateWindowSeconds"/>, drawn on by REST
/// mutations and WebSocket injects alike, so that opening more sockets buys no more injects.
/// </summary>
internal sealed class MutationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public MutationLimiter(IOptions<GatewayOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.MutationsPerWindow,
            Window = TimeSpan.FromSeconds(o.RateWindowSeconds),
            QueueLimit = 0,
        }));
    }

    /// <summary>Takes one mutation from <paramref name="client"/>'s budget; false when it is spent for this window.</summary>
    public bool TryAcquire(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>The 429 answer.</summary>
    public static IResult TooMany() => Results.Problem(
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many requests",
        detail: TooManyDetail);

    /// <summary>Why a request was refused with 429 (REST and WebSocket alike).</summary>
    public const string TooManyDetail = "this client sent more mutations (REST requests and WebSocket injects together) than NeuroMesh:Gateway:MutationsPerWindow allows per window; retry later";
}
