using NeuroMesh.Benchmarks.Suites.Agents;

namespace NeuroMesh.Tests.Agents;

/// <summary>
/// The agents benchmark's workload over every transport at a tiny size, so that the benchmark code cannot rot
/// silently: each transport must deliver every message to every receiver. No timing is asserted.
/// </summary>
[Trait("Tier", "Unit")]
public class AgentsBenchmarkWorkloadTests
{
    private const int RoundTrips = 300;
    private const int Messages = 1_500;

    public static TheoryData<string> Transports => ["mesh", "axon", "orleans", "akka", "protoactor"];

    [Theory]
    [MemberData(nameof(Transports))]
    public void Every_transport_delivers_the_whole_workload(string name)
    {
        using var transport = Create(name);

        // Twice each: the second run reuses the transport as the suite's repeats do.
        for (var run = 0; run < 2; run++)
        {
            var pingPong = transport.PingPong(RoundTrips);
            Assert.Equal(2 * RoundTrips, pingPong.Expected);
            Assert.Equal(2 * RoundTrips, pingPong.Delivered);

            var fanOut = transport.FanOut(Messages, AgentWorkload.Subscribers);
            Assert.Equal((long)Messages * AgentWorkload.Subscribers, fanOut.Expected);
            Assert.Equal((long)Messages * AgentWorkload.Subscribers, fanOut.Delivered);
        }
    }

    [Fact]
    public void The_delivery_check_rejects_a_lost_or_a_duplicated_message()
    {
        // Complete: 10 messages numbered 0..9 at each of two receivers.
        var ok = AgentRun.Verify("t", 0.5, 10, [10, 10], [45, 45]);
        Assert.Equal(20, ok.Delivered);

        // Receiver 1 lost message 9.
        var lost = Assert.Throws<InvalidOperationException>(() => AgentRun.Verify("t", 0.5, 10, [10, 9], [45, 36]));
        Assert.Contains("receiver 1 counted 9", lost.Message);

        // Receiver 0 got message 3 twice and never got message 9: the count is right, the checksum is not.
        Assert.Throws<InvalidOperationException>(() => AgentRun.Verify("t", 0.5, 10, [10, 10], [39, 45]));
    }

    private static IAgentTransport Create(string name) => name switch
    {
        "mesh" => new MeshTransport(ringCapacity: 64),
        "axon" => new AxonRingTransport(),
        "orleans" => new OrleansTransport(),
        "akka" => new AkkaTransport(),
        "protoactor" => new ProtoActorTransport(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown transport"),
    };
}
