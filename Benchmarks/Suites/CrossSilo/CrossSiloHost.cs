using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroMesh.Hosting;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>One silo of the benchmark's two-process cluster: localhost clustering around the primary's endpoint, AddNeuroMesh with a temp SQLite file.</summary>
internal static class CrossSiloHost
{
    public const string ServiceId = "crosssilo-bench";

    public static IHost Start(int siloPort, int gatewayPort, int primaryPort, string clusterId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"neuromesh-crosssilo-{Environment.ProcessId}-{siloPort}.db");
        var builder = Host.CreateApplicationBuilder();
        // Logs go to stderr: the peer's stdout carries only its ready line.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NeuroMesh:Fabric:Tier"] = "Light",
            ["NeuroMesh:DeltaLog:Path"] = dataPath,
        }).AddEnvironmentVariables().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        builder.Services.AddSingleton<LatencyRecorder>();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort), ServiceId, clusterId)
            .AddNeuroMesh(configuration));
        var host = builder.Build();
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }
}
