using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>Akka.NET: one local ActorSystem with the default dispatcher, agents as actors, messages sent with Tell.</summary>
internal sealed class AkkaTransport : IAgentTransport
{
    private readonly ActorSystem _system = ActorSystem.Create("agents-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
    private int _run;

    public string PingPongName => "Akka.NET actors (Tell)";

    public string FanOutName => "Akka.NET actors (Tell)";

    public double SizeFactor => 1;

    public AgentRun PingPong(int roundTrips)
    {
        var run = Interlocked.Increment(ref _run);
        using var done = new ManualResetEventSlim(false);
        Tally ping = new(), pong = new();
        var ponger = _system.ActorOf(Props.Create(() => new AkkaPonger(pong)), $"pong-{run}");
        var pinger = _system.ActorOf(Props.Create(() => new AkkaPinger(ponger, roundTrips, ping, done)), $"ping-{run}");
        try
        {
            var watch = Stopwatch.StartNew();
            pinger.Tell("serve");
            AgentWorkload.Await(done.WaitHandle, PingPongName, "ping-pong");
            var seconds = watch.Elapsed.TotalSeconds;
            return AgentRun.Verify(PingPongName, seconds, roundTrips, [ping.Count, Volatile.Read(ref pong.Count)], [ping.Checksum, Volatile.Read(ref pong.Checksum)]);
        }
        finally
        {
            _system.Stop(pinger);
            _system.Stop(ponger);
        }
    }

    public AgentRun FanOut(int messages, int subscribers)
    {
        var run = Interlocked.Increment(ref _run);
        using var done = new CountdownEvent(subscribers);
        var tallies = Enumerable.Range(0, subscribers).Select(_ => new Tally()).ToArray();
        var receivers = tallies.Select((t, i) => _system.ActorOf(Props.Create(() => new AkkaSubscriber(messages, t, done)), $"sub-{run}-{i}")).ToArray();
        var publisher = _system.ActorOf(Props.Create(() => new AkkaPublisher(receivers)), $"pub-{run}");
        try
        {
            var watch = Stopwatch.StartNew();
            publisher.Tell(messages);
            AgentWorkload.Await(done.WaitHandle, FanOutName, "fan-out");
            var seconds = watch.Elapsed.TotalSeconds;
            return AgentRun.Verify(FanOutName, seconds, messages, [.. tallies.Select(t => t.Count)], [.. tallies.Select(t => t.Checksum)]);
        }
        finally
        {
            _system.Stop(publisher);
            foreach (var receiver in receivers)
            {
                _system.Stop(receiver);
            }
        }
    }

    public void Dispose()
    {
        _system.Terminate().Wait(AgentWorkload.Timeout);
        _system.Dispose();
    }
}
