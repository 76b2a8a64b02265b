using System.Diagnostics;
using Proto;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>Proto.Actor: one local ActorSystem with its default dispatcher, agents as actors, messages sent with Send.</summary>
internal sealed class ProtoActorTransport : IAgentTransport
{
    private readonly ActorSystem _system = new();

    public string PingPongName => "Proto.Actor actors (Send)";

    public string FanOutName => "Proto.Actor actors (Send)";

    public double SizeFactor => 1;

    public AgentRun PingPong(int roundTrips)
    {
        using var done = new ManualResetEventSlim(false);
        Tally ping = new(), pong = new();
        var root = _system.Root;
        var pinger = root.Spawn(Props.FromProducer(() => new ProtoPlayer(roundTrips, ping, done)));
        var ponger = root.Spawn(Props.FromProducer(() => new ProtoPlayer(roundTrips, pong, null)));
        try
        {
            Wait(root.RequestAsync<bool>(pinger, new Partner(ponger)));
            Wait(root.RequestAsync<bool>(ponger, new Partner(pinger)));

            var watch = Stopwatch.StartNew();
            root.Send(pinger, "serve");
            AgentWorkload.Await(done.WaitHandle, PingPongName, "ping-pong");
            var seconds = watch.Elapsed.TotalSeconds;
            return AgentRun.Verify(PingPongName, seconds, roundTrips, [ping.Count, Volatile.Read(ref pong.Count)], [ping.Checksum, Volatile.Read(ref pong.Checksum)]);
        }
        finally
        {
            Wait(root.StopAsync(pinger));
            Wait(root.StopAsync(ponger));
        }
    }

    public AgentRun FanOut(int messages, int subscribers)
    {
        using var done = new CountdownEvent(subscribers);
        var root = _system.Root;
        var tallies = Enumerable.Range(0, subscribers).Select(_ => new Tally()).ToArray();
        var receivers = tallies.Select(t => root.Spawn(Props.FromProducer(() => new ProtoSubscriber(messages, t, done)))).ToArray();
        var publisher = root.Spawn(Props.FromProducer(() => new ProtoPublisher(receivers)));
        try
        {
            var watch = Stopwatch.StartNew();
            root.Send(publisher, messages);
            AgentWorkload.Await(done.WaitHandle, FanOutName, "fan-out");
            var seconds = watch.Elapsed.TotalSeconds;
            return AgentRun.Verify(FanOutName, seconds, messages, [.. tallies.Select(t => t.Count)], [.. tallies.Select(t => t.Checksum)]);
        }
        finally
        {
            Wait(root.StopAsync(publisher));
            foreach (var receiver in receivers)
            {
                Wait(root.StopAsync(receiver));
            }
        }
    }

    public void Dispose() => _system.ShutdownAsync().WaitAsync(AgentWorkload.Timeout).GetAwaiter().GetResult();

    private static T Wait<T>(Task<T> task) => task.WaitAsync(AgentWorkload.Timeout).GetAwaiter().GetResult();

    private static void Wait(Task task) => task.WaitAsync(AgentWorkload.Timeout).GetAwaiter().GetResult();
}
