using System.Diagnostics;
using NeuroMesh.Agents;
using NeuroMesh.Fabric;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// The NeuroMesh fast path as an application uses it: an <see cref="Cortex"/> running free (Start, then a
/// behaviour signals completion, then WaitForIdle), agents as behaviours, one pass per hop.
/// </summary>
internal sealed class MeshTransport(int ringCapacity = 1024) : IAgentTransport
{
    private const uint Ping = 1;
    private const uint Pong = 2;
    private const uint Publisher = 100;

    public string PingPongName => "Cortex (free-running)";

    public string FanOutName => "Cortex (free-running)";

    public double SizeFactor => 1;

    public AgentRun PingPong(int roundTrips)
    {
        using var done = new ManualResetEventSlim(false);
        using var mesh = NewMesh(4);
        var pinger = new MeshPinger(Pong, roundTrips, done);
        var ponger = new MeshPonger();
        mesh.AddNeuron(Ping, pinger);
        mesh.AddNeuron(Pong, ponger);
        mesh.Start();

        var watch = Stopwatch.StartNew();
        mesh.Stimulate(Ping);
        AgentWorkload.Await(done.WaitHandle, PingPongName, "ping-pong");
        var seconds = watch.Elapsed.TotalSeconds;

        Settle(mesh, 2L * roundTrips);
        return AgentRun.Verify(PingPongName, seconds, roundTrips, [pinger.Returned, ponger.Received], [pinger.Checksum, ponger.Checksum]);
    }

    public AgentRun FanOut(int messages, int subscribers)
    {
        using var done = new CountdownEvent(subscribers);
        using var mesh = NewMesh(subscribers + 1);
        var publisher = new MeshPublisher(messages, ringCapacity);
        mesh.AddNeuron(Publisher, publisher);
        var receivers = new MeshSubscriber[subscribers];
        for (var i = 0; i < subscribers; i++)
        {
            receivers[i] = new MeshSubscriber(messages, done);
            mesh.AddNeuron((uint)i, receivers[i]);
            mesh.Subscribe(Publisher, (uint)i);
        }

        mesh.Start();
        var watch = Stopwatch.StartNew();
        mesh.Stimulate(Publisher);
        AgentWorkload.Await(done.WaitHandle, FanOutName, "fan-out");
        var seconds = watch.Elapsed.TotalSeconds;

        Settle(mesh, (long)messages * subscribers);
        return AgentRun.Verify(FanOutName, seconds, messages, [.. receivers.Select(r => r.Received)], [.. receivers.Select(r => r.Checksum)]);
    }

    public void Dispose()
    {
    }

    /// <summary>Waits for the loop to go idle, stops it, and checks the mesh's own accounting against the workload.</summary>
    private void Settle(Cortex mesh, long expectedDeliveries)
    {
        if (!mesh.WaitForIdle(AgentWorkload.Timeout))
        {
            throw new InvalidOperationException($"{PingPongName}: the mesh did not go idle.");
        }

        mesh.Stop();
        var counters = mesh.Counters;
        if (counters.Deliveries != expectedDeliveries || counters.Faults != 0 || counters.RefusedAxonFull != 0 || !counters.Balances)
        {
            throw new InvalidOperationException($"{PingPongName}: mesh accounting is off ({counters}); expected {expectedDeliveries} deliveries and no faults or refusals.");
        }
    }

    private Cortex NewMesh(int neurons) => new(new CortexOptions
    {
        MaxNeurons = neurons,
        RingCapacity = ringCapacity,
        PayloadBytes = Arena.MinimumCapacity,
    });
}
