using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Live spikes of a run: <c>GET /spikes/stream?run=ID</c> as server-sent events, and <c>/spikes/ws?run=ID</c> as a
/// WebSocket that also takes commands (inject, change the filter). Both filter by <c>population</c> (comma-separated
/// names) and neuron range <c>from</c>/<c>to</c>, and send at most <c>maxRate</c> spikes per second (capped by
/// <see cref="GatewayOptions.MaxSpikesPerSecond"/>), counting what they sample away.
/// </summary>
internal static class SpikeEndpoints
{
    /// <summary>How the taps write JSON (SSE data and WebSocket messages alike): as REST does, enums by name.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>How long a tap waits for a batch before it sends a keep-alive (SSE) or looks again (WebSocket).</summary>
    internal static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(10);

    public static void Map(WebApplication app, ApiKeyCheck check)
    {
        app.MapGet("/spikes/stream", async (HttpContext context, string? run, string? population, string? from, string? to, string? maxRate, IClusterClient client) =>
        {
            var session = await Open(context, check, client, run, population, from, to, maxRate);
            if (session is null)
            {
                return;
            }

            await using (session)
            {
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["X-Accel-Buffering"] = "no";
                var cancel = context.RequestAborted;
                await context.Response.WriteAsync($"event: open\ndata: {JsonSerializer.Serialize(new { run, maxRate = session.Filter.MaxPerSecond }, Json)}\n\n", cancel);
                await context.Response.Body.FlushAsync(cancel);
                try
                {
                    while (!cancel.IsCancellationRequested)
                    {
                        var next = await session.NextAsync(KeepAlive, cancel);
                        await context.Response.WriteAsync(next is null ? ": keep-alive\n\n" : $"event: spikes\ndata: {JsonSerializer.Serialize(next, Json)}\n\n", cancel);
                        await context.Response.Body.FlushAsync(cancel);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The client went away.
                }
            }
        }).RequireRateLimiting(GatewayHosting.ReadPolicy).WithSummary("Server-sent events of a run's spikes (?run=, population, from, to, maxRate), sampled and accounted.");

        app.Map("/spikes/ws", async (HttpContext context, string? run, string? population, string? from, string? to, string? maxRate, IClusterClient client) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await GatewayProblems.Invalid("Upgrade", "this endpoint takes a WebSocket connection").ExecuteAsync(context);
                return;
            }

            var session = await Open(context, check, client, run, population, from, to, maxRate);
            if (session is null)
            {
                return;
            }

            var mayMutate = check.MayMutate(context);
            await using (session)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var limiter = context.RequestServices.GetRequiredService<MutationLimiter>();
                using var tap = new SpikeSocket(socket, session, client, run!, mayMutate, check.Options, limiter, check.Partition(context));
                await tap.RunAsync(context.RequestAborted);
            }
        }).RequireRateLimiting(GatewayHosting.ReadPolicy).WithSummary("A WebSocket tap of a run's spikes that also takes {type: inject | filter} commands.");
    }

    // The tap for the request, or null once the 401/400/404 answer is written.
    private static async Task<SpikeTapSession?> Open(
        HttpContext context, ApiKeyCheck check, IClusterClient client, string? run, string? population, string? from, string? to, string? maxRate)
    {
        var (session, error) = check.MayRead(context)
            ? await Open(client, run, population, from, to, maxRate, check.Options.MaxSpikesPerSecond)
            : (null, check.Unauthorized(mutation: false));
        if (error is not null)
        {
            await error.ExecuteAsync(context);
        }

        return session;
    }

    private static async Task<(SpikeTapSession? Session, IResult? Error)> Open(
        IClusterClient client, string? run, string? population, string? from, string? to, string? maxRate, int limit)
    {
        if (string.IsNullOrEmpty(run))
        {
            return (null, GatewayProblems.Invalid("run", "name the run to tap (?run=ID)"));
        }

        if (RunEndpoints.CheckId(run, "run") is { } badId)
        {
            return (null, badId);
        }

        var populations = await SpikeTapSession.PopulationsAsync(client, run);
        if (populations is null)
        {
            return (null, RunEndpoints.Missing(run, "run"));
        }

        var (filter, problem) = SpikeFilter.Parse(population, from, to, maxRate, populations, limit);
        if (problem is { } p)
        {
            return (null, GatewayProblems.Invalid(p.Field, p.Message));
        }

        return (await SpikeTapSession.OpenAsync(client, run, filter!, populations), null);
    }
}
