using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.Agents;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The same co-located agent workload (ping-pong between two agents; fan-out from one agent to 8 subscribers) over the
/// NeuroMesh fast path (the free-running Cortex, and the bare Axon ring under it), plain Orleans grain calls on an
/// in-process silo, Akka.NET actors and Proto.Actor actors, all in the same run. Every run checks its delivery counts.
/// Then the WebAssembly cases (<see cref="WasmCases"/>): a WASM relay against the C# relay, 10,000 hosted WASM agents
/// and the memory per instance, and module compile/instantiate times. Then the capacity cases (<see cref="CapacityCases"/>):
/// 100,000 agents hosted in one silo's mesh, the fabric bytes each idle one holds, and the time to host and release them.
/// </summary>
public sealed class AgentsSuite : IBenchmarkSuite
{
    private const string PingPongRate = "ping-pong";
    private const string PingPongLatency = "ping-pong latency";
    private const string FanOut = "fan-out K=8";

    /// <inheritdoc />
    public string Name => "agents";

    /// <inheritdoc />
    public string Description => "agent ping-pong and 8-way fan-out: Cortex and Axon ring vs Orleans grain calls, Akka.NET, Proto.Actor; WASM vs C# relay";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options)
    {
        var report = new BenchmarkReport(Name);
        var roundTrips = options.Quick ? 20_000 : 100_000;
        var messages = options.Quick ? 50_000 : 200_000;
        var repeats = options.Quick ? 3 : 5;
        Console.Error.WriteLine($"agents: {roundTrips:N0} round trips, {messages:N0} messages x {AgentWorkload.Subscribers} subscribers, median of {repeats} (Orleans at a tenth of the size)");

        var mesh = new MeshTransport();
        IAgentTransport[] transports = [mesh, new AxonRingTransport(), new OrleansTransport(), new AkkaTransport(), new ProtoActorTransport()];
        try
        {
            var pingPong = transports.ToDictionary(t => t, _ => new List<AgentRun>());
            var fanOut = transports.ToDictionary(t => t, _ => new List<AgentRun>());
            // Warm-up: two rounds at half size, then a pause. A profile of a shorter warm-up showed the mesh's pass still
            // in quick-jitted and instrumented code while measured (the other peers' JIT work kept postponing tier-1
            // promotion), and the same holds for every peer, so each gets the same warm-up and the compiler its time.
            for (var round = 0; round < 2; round++)
            {
                foreach (var transport in transports)
                {
                    transport.PingPong(Scale(roundTrips / 2, transport));
                    transport.FanOut(Scale(messages / 2, transport), AgentWorkload.Subscribers);
                }
            }

            Thread.Sleep(TimeSpan.FromSeconds(1));

            // Repeats are interleaved across transports so that a burst of load from the other builds on this machine
            // lands on every peer rather than on one.
            for (var r = 0; r < repeats; r++)
            {
                foreach (var transport in transports)
                {
                    pingPong[transport].Add(transport.PingPong(Scale(roundTrips, transport)));
                    fanOut[transport].Add(transport.FanOut(Scale(messages, transport), AgentWorkload.Subscribers));
                }
            }

            foreach (var transport in transports)
            {
                var rate = Median(pingPong[transport].Select(run => run.Delivered / 2.0 / run.Seconds));
                report.Add(PingPongRate, transport.PingPongName, rate, "round trips/s");
                report.Add(PingPongLatency, transport.PingPongName, 1e6 / rate, "us/round trip (mean)");
            }

            foreach (var transport in transports)
            {
                report.Add(FanOut, transport.FanOutName, Median(fanOut[transport].Select(run => run.Delivered / run.Seconds)), "delivered msgs/s");
            }

            var orleans = transports[2];
            var akka = transports[3];
            var proto = transports[4];
            report.Ratios["fastpath_vs_orleans_calls"] = Ratio(report, FanOut, mesh.FanOutName, orleans.FanOutName);
            report.Ratios["fastpath_vs_akka"] = Ratio(report, FanOut, mesh.FanOutName, akka.FanOutName);
            report.Ratios["fastpath_vs_protoactor"] = Ratio(report, FanOut, mesh.FanOutName, proto.FanOutName);
            report.Ratios["fastpath_vs_orleans_calls_pingpong"] = Ratio(report, PingPongRate, mesh.PingPongName, orleans.PingPongName);
            report.Ratios["fastpath_vs_akka_pingpong"] = Ratio(report, PingPongRate, mesh.PingPongName, akka.PingPongName);
            report.Ratios["fastpath_vs_protoactor_pingpong"] = Ratio(report, PingPongRate, mesh.PingPongName, proto.PingPongName);
            report.Ratios["mesh_vs_axon_ring_fanout"] = Ratio(report, FanOut, mesh.FanOutName, transports[1].FanOutName);
            WasmCases.Run(report, options);
            CapacityCases.Run(report, options);
            return report;
        }
        finally
        {
            foreach (var transport in transports)
            {
                transport.Dispose();
            }
        }
    }

    private static int Scale(int size, IAgentTransport transport) => Math.Max(1, (int)(size * transport.SizeFactor));

    private static double Ratio(BenchmarkReport report, string @case, string numerator, string denominator)
        => report.Get(@case, numerator) / report.Get(@case, denominator);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
