using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// The HTTP gateway on the node: REST under <c>/api</c>, the OpenAPI document at <c>/openapi</c>, live spike taps at
/// <c>/spikes/stream</c> (SSE) and <c>/spikes/ws</c> (WebSocket), and the web UI at <c>/</c>. Mutations need an API key
/// (<see cref="GatewayOptions"/>); every body is checked; oversize bodies get 413 and floods 429.
/// </summary>
public static class GatewayHosting
{
    internal const string ReadPolicy = "gateway-reads";
    internal const string WritePolicy = "gateway-writes";

    /// <summary>Registers the gateway's services: options (<c>NeuroMesh:Gateway</c>), rate limiting, OpenAPI and JSON settings.</summary>
    public static IServiceCollection AddNeuroMeshGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<ApiKeyCheck>();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancel) =>
            {
                context.HttpContext.Response.ContentType = "application/problem+json";
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new { status = 429, title = "Too many requests", detail = "this client sent more requests than NeuroMesh:Gateway allows per window; retry later" },
                    cancel);
            };
            o.AddPolicy(ReadPolicy, context => Partition(context, reads: true));
            o.AddPolicy(WritePolicy, context => Partition(context, reads: false));
        });
        return services;
    }

    /// <summary>Adds the gateway's middleware (rate limiting, WebSockets, the web UI's files) and maps its endpoints.</summary>
    public static WebApplication MapNeuroMeshGateway(this WebApplication app)
    {
        var check = app.Services.GetRequiredService<ApiKeyCheck>();
        var ui = new EmbeddedFileProvider(typeof(GatewayHosting).Assembly, "NeuroMesh.Silo.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = ui });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = ui });
        app.UseWebSockets();
        app.UseRateLimiter();

        app.MapOpenApi("/openapi");
        var reads = app.MapGroup("/api").RequireRateLimiting(ReadPolicy)
            .AddEndpointFilter(async (context, next) => check.MayRead(context.HttpContext) ? await next(context) : check.Unauthorized(mutation: false));
        var writes = app.MapGroup("/api").RequireRateLimiting(WritePolicy)
            .AddEndpointFilter(async (context, next) => check.MayMutate(context.HttpContext) ? await next(context) : check.Unauthorized(mutation: true));

        RunEndpoints.Map(reads, writes);
        TopologyEndpoints.Map(reads, writes);
        AgentEndpoints.Map(reads, writes);
        ClusterEndpoints.Map(reads);
        ExampleEndpoints.Map(reads);
        SpikeEndpoints.Map(app, check);
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, bool reads)
    {
        var check = context.RequestServices.GetRequiredService<ApiKeyCheck>();
        var options = check.Options;
        return RateLimitPartition.GetFixedWindowLimiter((reads ? "r:" : "w:") + check.Partition(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = reads ? options.ReadsPerWindow : options.MutationsPerWindow,
            Window = TimeSpan.FromSeconds(options.RateWindowSeconds),
            QueueLimit = 0,
        });
    }

    private sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
    {
        public ValidateOptionsResult Validate(string? name, GatewayOptions options)
            => options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
