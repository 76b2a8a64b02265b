using Orleans.Runtime;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// The node's health endpoints, for container health checks and Kubernetes probes: <c>/health/live</c> answers 200 while the
/// process serves HTTP; <c>/health/ready</c> answers 200 once this silo is an active cluster member, and 503 (with its
/// status) before that and while it shuts down.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Text("live\n"));
        app.MapGet("/health/ready", (ILocalSiloDetails silo, IClusterMembershipService membership) =>
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return status == SiloStatus.Active
                ? Results.Text($"ready {silo.SiloAddress}\n")
                : Results.Text($"not ready: silo {silo.SiloAddress} is {status}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
