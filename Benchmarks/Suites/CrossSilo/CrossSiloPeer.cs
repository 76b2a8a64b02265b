using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Cluster;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>
/// The second process of the crosssilo suite: <c>crosssilo-peer SILO_PORT GATEWAY_PORT PRIMARY_PORT CLUSTER_ID</c> starts
/// the receiving silo, attaches its <see cref="LatencyRecorder"/> to the mesh ingress, prints <c>ready ADDRESS</c>,
/// and runs until its standard input closes.
/// </summary>
internal static class CrossSiloPeer
{
    public const string Verb = "crosssilo-peer";

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine($"usage: {Verb} SILO_PORT GATEWAY_PORT PRIMARY_PORT CLUSTER_ID");
            return 2;
        }

        using var host = CrossSiloHost.Start(int.Parse(args[0]), int.Parse(args[1]), int.Parse(args[2]), args[3]);
        var services = host.Services;
        using var attached = services.GetRequiredService<MeshIngress>().Attach(services.GetRequiredService<LatencyRecorder>());
        Console.Out.WriteLine($"ready {services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString()}");
        Console.Out.Flush();
        while (Console.In.ReadLine() is not null)
        {
        }

        host.StopAsync().GetAwaiter().GetResult();
        return 0;
    }
}
