using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// The HTTP gateway on the node: REST under <c>/api</c>, the OpenAPI document at <c>/openapi</c>, live spike taps at
/// <c>/spikes/stream</c> (SSE) and <c>/spikes/ws</c> (WebSocket), and the web UI at <c>/</c>. Mutations need an API key
/// (<see cref="GatewayOptions"/>); every body is checked; oversize bodies get 413 and floods 429; every error is an
/// RFC 9457 problem that names no .NET type, silo or stack frame.
/// </summary>
public static class GatewayHosting
{
    internal const string ReadPolicy = "gateway-reads";

    /// <summary>Registers the gateway's services: options (<c>NeuroMesh:Gateway</c>), rate limiting, OpenAPI and JSON settings.</summary>
    public static IServiceCollection AddNeuroMeshGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<ApiKeyCheck>();
        services.AddSingleton<MutationLimiter>();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = GatewayProblems.Customize);
        services.AddExceptionHandler<GatewayExceptionHandler>();

        // A query or route value that does not bind throws, so that the exception handler answers it as a problem naming it.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancel) =>
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: "this client sent more reads than NeuroMesh:Gateway:ReadsPerWindow allows per window; retry later").ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(ReadPolicy, Partition);
        });
        return services;
    }

    /// <summary>Adds the gateway's middleware (rate limiting, WebSockets, the web UI's files) and maps its endpoints.</summary>
    public static WebApplication MapNeuroMeshGateway(this WebApplication app)
    {
        var check = app.Services.GetRequiredService<ApiKeyCheck>();
        var limiter = app.Services.GetRequiredService<MutationLimiter>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var ui = new EmbeddedFileProvider(typeof(GatewayHosting).Assembly, "NeuroMesh.Silo.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = ui });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = ui });
        app.UseWebSockets();

        // With reads closed, every route needs a client that may read: the API, the taps, /openapi and /metrics alike. Only
        // the web UI's static files (served above: the page asks for the key) and the health probes stay open.
        app.Use(async (context, next) =>
        {
            if (check.MayRead(context) || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
            }
            else
            {
                var reading = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
                await check.Unauthorized(mutation: !reading).ExecuteAsync(context);
            }
        });
        app.UseRateLimiter();

        app.MapOpenApi("/openapi");
        var reads = app.MapGroup("/api").RequireRateLimiting(ReadPolicy)
            .AddEndpointFilter(async (context, next) => check.MayRead(context.HttpContext) ? await next(context) : check.Unauthorized(mutation: false));
        var writes = app.MapGroup("/api")
            .AddEndpointFilter(async (context, next) => limiter.TryAcquire(check.Partition(context.HttpContext)) ? await next(context) : MutationLimiter.TooMany())
            .AddEndpointFilter(async (context, next) => check.MayMutate(context.HttpContext) ? await next(context) : check.Unauthorized(mutation: true));

        RunEndpoints.Map(reads, writes);
        TopologyEndpoints.Map(reads, writes);
        AgentEndpoints.Map(reads, writes);
        WasmEndpoints.Map(reads, writes);
        ClusterEndpoints.Map(reads);
        ExampleEndpoints.Map(reads);
        SpikeEndpoints.Map(app, check);
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var check = context.RequestServices.GetRequiredService<ApiKeyCheck>();
        var options = check.Options;
        return RateLimitPartition.GetFixedWindowLimiter(check.Partition(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.ReadsPerWindow,
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
