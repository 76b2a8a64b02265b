namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// One way to deliver the agents workload: two agents bouncing a message (ping-pong), and one agent sending to
/// <see cref="AgentWorkload.Subscribers"/> subscribers (fan-out). Every run checks that everything arrived and throws
/// otherwise; the returned <see cref="AgentRun"/> carries the counts so that tests can assert them too.
/// </summary>
internal interface IAgentTransport : IDisposable
{
    /// <summary>The name in the ping-pong rows, saying how messages move (for example "Orleans calls (awaited)").</summary>
    string PingPongName { get; }

    /// <summary>The name in the fan-out rows.</summary>
    string FanOutName { get; }

    /// <summary>
    /// How much of the common workload size this transport runs (1 for all but the slowest peer, so that its
    /// measurement takes seconds and not minutes); rates are per second, so they stay comparable.
    /// </summary>
    double SizeFactor { get; }

    /// <summary>Two agents bounce one message <paramref name="roundTrips"/> times (A to B and back is one round trip).</summary>
    AgentRun PingPong(int roundTrips);

    /// <summary>One agent sends <paramref name="messages"/> messages, each to every one of <paramref name="subscribers"/> subscribers.</summary>
    AgentRun FanOut(int messages, int subscribers);
}
