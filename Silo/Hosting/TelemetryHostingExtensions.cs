using NeuroMesh.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NeuroMesh.Silo.Hosting;

/// <summary>The node's OpenTelemetry wiring: which meters and sources it exports, and where.</summary>
internal static class TelemetryHostingExtensions
{
    /// <summary>The configuration key of the OTLP endpoint (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> works too).</summary>
    public const string OtlpEndpointKey = "NeuroMesh:Telemetry:OtlpEndpoint";

    /// <summary>
    /// Exports the <see cref="NeuroMeshTelemetry.Name"/> meter and Orleans' <c>Microsoft.Orleans</c> meter to the Prometheus
    /// scrape endpoint (map it with <c>MapPrometheusScrapingEndpoint()</c>, at <c>/metrics</c>) and, when an OTLP endpoint is
    /// configured (<see cref="OtlpEndpointKey"/>, or the <c>OTEL_EXPORTER_OTLP_*</c> variables), metrics and traces (the
    /// NeuroMesh control-plane spans and Orleans' grain-call spans) over OTLP; the standard <c>OTEL_METRICS_EXPORTER=none</c>
    /// keeps metrics off OTLP (Prometheus scrapes them) while traces still go. The service name is <c>OTEL_SERVICE_NAME</c>,
    /// else <c>neuromesh-silo</c>; <c>OTEL_RESOURCE_ATTRIBUTES</c> adds attributes as usual.
    /// </summary>
    public static WebApplicationBuilder AddNeuroMeshTelemetry(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[OtlpEndpointKey];
        var fromEnvironment = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Uri? endpoint = null;
        if (!string.IsNullOrEmpty(configured) && !Uri.TryCreate(configured, UriKind.Absolute, out endpoint))
        {
            throw new InvalidOperationException($"{OtlpEndpointKey} must be an absolute URI such as http://otel-collector:4317 (got '{configured}').");
        }

        var otlp = endpoint is not null || fromEnvironment;
        var metricsOverOtlp = otlp && !string.Equals(builder.Configuration["OTEL_METRICS_EXPORTER"], "none", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "neuromesh-silo"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NeuroMeshTelemetry.Name, NeuroMeshTelemetry.OrleansMeterName).AddPrometheusExporter();
                if (metricsOverOtlp)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(NeuroMeshTelemetry.Name, "Microsoft.Orleans.Application");
                if (otlp)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint);
                }
            });
        return builder;
    }
}
