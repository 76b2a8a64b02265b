using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroMesh.Benchmarks.Suites.Agents.Orleans;
using NeuroMesh.Hosting;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// Plain Orleans: one in-process silo (localhost clustering on free ports), the agents as grains, messages as
/// grain-to-grain calls. Ping-pong awaits each call (request out, response back = one round trip); fan-out uses
/// <c>[OneWay]</c> calls, the cheapest send Orleans offers.
/// </summary>
internal sealed class OrleansTransport : IAgentTransport
{
    private readonly IHost _host;
    private readonly IGrainFactory _grains;
    private int _run;

    public OrleansTransport()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var ports = LoopbackPorts.Free(2);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: ports[0], gatewayPort: ports[1], serviceId: "agents-bench", clusterId: $"agents-bench-{Environment.ProcessId}"));
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        _grains = _host.Services.GetRequiredService<IGrainFactory>();
    }

    public string PingPongName => "Orleans grain calls (awaited)";

    public string FanOutName => "Orleans grain calls ([OneWay])";

    public double SizeFactor => 0.1;

    public AgentRun PingPong(int roundTrips)
    {
        var run = Interlocked.Increment(ref _run);
        var ping = _grains.GetGrain<IPingGrain>($"ping-{run}");
        var pong = _grains.GetGrain<IPingGrain>($"pong-{run}");

        // Activate both before the clock starts.
        Wait(ping.PongStats());
        Wait(pong.PongStats());

        var watch = Stopwatch.StartNew();
        var (count, sum) = Wait(ping.Serve(pong, roundTrips));
        var seconds = watch.Elapsed.TotalSeconds;

        var (pongCount, pongSum) = Wait(pong.PongStats());
        return AgentRun.Verify(PingPongName, seconds, roundTrips, [count, pongCount], [sum, pongSum]);
    }

    public AgentRun FanOut(int messages, int subscribers)
    {
        var run = Interlocked.Increment(ref _run);
        var publisher = _grains.GetGrain<IPublisherGrain>($"pub-{run}");
        var receivers = Enumerable.Range(0, subscribers).Select(i => _grains.GetGrain<ISubscriberGrain>($"sub-{run}-{i}")).ToArray();
        foreach (var receiver in receivers)
        {
            Wait(receiver.Expect(messages));
        }

        Wait(publisher.Publish([], 0));
        using var done = new CountdownEvent(subscribers);
        FanOutProbe.Arm(done);

        var watch = Stopwatch.StartNew();
        Wait(publisher.Publish(receivers, messages));
        AgentWorkload.Await(done.WaitHandle, FanOutName, "fan-out");
        var seconds = watch.Elapsed.TotalSeconds;

        var stats = receivers.Select(r => Wait(r.Stats())).ToArray();
        return AgentRun.Verify(FanOutName, seconds, messages, [.. stats.Select(s => s.Count)], [.. stats.Select(s => s.Checksum)]);
    }

    public void Dispose()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
    }

    private static T Wait<T>(Task<T> task) => task.WaitAsync(AgentWorkload.Timeout).GetAwaiter().GetResult();

    private static void Wait(Task task) => task.WaitAsync(AgentWorkload.Timeout).GetAwaiter().GetResult();
}
