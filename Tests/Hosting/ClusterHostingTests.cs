using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Hosting;

/// <summary>The silo and client wiring: settings that fail fast by name, and a real client reaching a real embedded cluster.</summary>
public sealed class ClusterHostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("neuromesh-hosting-").FullName;

    private static IConfiguration Config(params (string Key, string Value)[] pairs)
        => new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Theory]
    [InlineData("NeuroMesh:Cluster:PollPeriodMs", "0")]
    [InlineData("NeuroMesh:Cluster:Queues", "0")]
    [InlineData("NeuroMesh:Cluster:WindowTimeoutSeconds", "-1")]
    [InlineData("NeuroMesh:Cluster:EngineThreads", "-2")]
    public void An_invalid_cluster_setting_stops_the_silo_builder_naming_it(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var error = Assert.Throws<OptionsValidationException>(() => builder.UseOrleans(silo => silo.AddNeuroMesh(Config((key, value)))));
        Assert.Contains(key, error.Message);
        Assert.Contains($"(got {value})", error.Message);
    }

    [Theory]
    [InlineData("LockstepTransport", "Pigeon")]
    [InlineData("LockstepTransport", "7")]
    [InlineData("MeshTransport", "Carrier")]
    [InlineData("MeshTransport", "3")]
    public void An_unknown_transport_stops_the_silo_builder_naming_the_choices(string key, string value)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var error = Assert.Throws<OptionsValidationException>(() => builder.UseOrleans(silo => silo.AddNeuroMesh(Config(($"NeuroMesh:Cluster:{key}", value)))));
        Assert.Contains($"NeuroMesh:Cluster:{key} must be Push, Calls or Streams", error.Message);
        Assert.Contains($"(got '{value}')", error.Message);
    }

    [Fact]
    public void The_spike_streams_retry_a_failed_queue_read_or_delivery_within_a_window_not_after_orleans_ten_second_default()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddNeuroMesh(Config(("NeuroMesh:DeltaLog:Path", Path.Combine(_dir, "backoff.db")))));
        using var host = builder.Build();
        var reads = host.Services.GetKeyedService<Orleans.Runtime.Providers.IQueueReaderBackoffProvider>(NeuroMesh.Cluster.SpikeStreams.ProviderName);
        var deliveries = host.Services.GetKeyedService<Orleans.Runtime.Providers.IMessageDeliveryBackoffProvider>(NeuroMesh.Cluster.SpikeStreams.ProviderName);
        Assert.IsType<NeuroMesh.Cluster.SpikeStreamBackoff>(reads);
        Assert.IsType<NeuroMesh.Cluster.SpikeStreamBackoff>(deliveries);
        Assert.IsType<NeuroMesh.Cluster.SpikeStreamBackoff>(host.Services.GetKeyedService<Orleans.Runtime.Providers.IQueueReaderBackoffProvider>(NeuroMesh.Simulation.SpikeTaps.ProviderName));

        // The pulling agent retries a read 6 times in a row; all of them together wait less than the shortest window timeout (1 s).
        var waits = Enumerable.Range(0, 6).Select(reads!.Next).ToArray();
        Assert.Equal([5, 10, 20, 40, 80, 160], waits.Select(w => w.TotalMilliseconds));
        Assert.True(waits.Aggregate(TimeSpan.Zero, (a, b) => a + b) < TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), deliveries!.Next(1000));
    }

    [Theory]
    [InlineData("NeuroMesh:Client:Gateways:0", "not-an-endpoint", "NeuroMesh:Client:Gateways:0 must be an IP endpoint")]
    [InlineData("NeuroMesh:Client:GatewayPort", "70000", "NeuroMesh:Client:GatewayPort must be in [1, 65535]")]
    [InlineData("NeuroMesh:Client:ClusterId", " ", "NeuroMesh:Client:ClusterId must not be empty")]
    public void An_invalid_client_setting_names_it(string key, string value, string message)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var error = Assert.Throws<OptionsValidationException>(() => builder.UseOrleansClient(client => client.AddNeuroMeshClient(Config((key, value)))));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Loopback_ports_are_distinct_bindable_and_a_count_below_one_is_refused()
    {
        var ports = LoopbackPorts.Free(6);
        Assert.Equal(6, ports.Distinct().Count());
        foreach (var port in ports)
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => LoopbackPorts.Free(0));
    }

    [Fact]
    public async Task A_client_wired_by_AddNeuroMeshClient_runs_a_spec_on_a_two_silo_embedded_cluster()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(2, new Dictionary<string, string?> { ["NeuroMesh:DeltaLog:Path"] = Path.Combine(_dir, "log.db") }, CancellationToken.None);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.AddNeuroMeshClient(Config(
            ("NeuroMesh:Client:Gateways:0", $"127.0.0.1:{cluster.GatewayPorts[1].ToString(CultureInfo.InvariantCulture)}"),
            ("NeuroMesh:Client:ClusterId", cluster.ClusterId),
            ("NeuroMesh:Client:ServiceId", cluster.ClusterId))));
        using var host = builder.Build();
        await host.StartAsync();
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 30 };

        var run = host.Services.GetRequiredService<IClusterClient>().GetGrain<ISimulationGrain>("client-run");
        await run.Deploy(spec.ToJson());
        var status = await run.Step(spec.TotalTicks);

        using var engine = new NeuroMesh.Engine.Cpu.CpuEngine(spec, new NeuroMesh.Engine.EngineOptions { Threads = 1 });
        Assert.Equal(engine.Run(spec.TotalTicks).SpikeTrainHash, status.SpikeTrainHash);
        Assert.Equal((RunPhase.Finished, 2), (status.Phase, status.Silos));
        await host.StopAsync();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
