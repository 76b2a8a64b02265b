using NeuroMesh.Benchmarks.Suites.Fabric;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>
/// The bare ring under the mesh: Axons with dedicated threads and no router. Ping-pong is two threads and two Axons
/// (each thread publishes to its partner's ring and spins on its own); fan-out is one producer thread publishing single
/// spikes into one Axon and one reader thread per subscriber draining it in batches.
/// </summary>
internal sealed class AxonRingTransport : IAgentTransport
{
    private const int DrainBatch = 256;

    public string PingPongName => "Axon ring (2 threads)";

    public string FanOutName => "Axon ring (producer + 8 reader threads)";

    public double SizeFactor => 1;

    public AgentRun PingPong(int roundTrips)
    {
        using var toPong = NewAxon();
        using var toPing = NewAxon();
        using var pongReader = toPong.CreateReader();
        using var pingReader = toPing.CreateReader();
        long pingCount = 0, pingSum = 0, pongCount = 0, pongSum = 0;
        var seconds = BenchSpikes.Run(
            producer: () =>
            {
                toPong.Publish(BenchSpikes.Make(0));
                for (var i = 0; i < roundTrips; i++)
                {
                    var back = ReadOne(pingReader);
                    pingCount++;
                    pingSum += back.Source;
                    if (i + 1 < roundTrips)
                    {
                        toPong.Publish(BenchSpikes.Make(back.Source + 1));
                    }
                }
            },
            () =>
            {
                for (var i = 0; i < roundTrips; i++)
                {
                    var ball = ReadOne(pongReader);
                    pongCount++;
                    pongSum += ball.Source;
                    toPing.Publish(in ball);
                }
            });
        return AgentRun.Verify(PingPongName, seconds, roundTrips, [pingCount, pongCount], [pingSum, pongSum]);
    }

    public AgentRun FanOut(int messages, int subscribers)
    {
        using var axon = NewAxon();
        var readers = Enumerable.Range(0, subscribers).Select(_ => axon.CreateReader()).ToArray();
        var counts = new long[subscribers];
        var sums = new long[subscribers];
        try
        {
            var seconds = BenchSpikes.Run(
                () =>
                {
                    for (var i = 0; i < messages; i++)
                    {
                        axon.Publish(BenchSpikes.Make(i));
                    }
                },
                [.. Enumerable.Range(0, subscribers).Select(s => (Action)(() => Drain(readers[s], messages, out counts[s], out sums[s])))]);
            return AgentRun.Verify(FanOutName, seconds, messages, counts, sums);
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
    }

    private static Axon NewAxon() => new(new AxonOptions
    {
        Capacity = BenchSpikes.RingCapacity,
        Overflow = OverflowPolicy.Block,
        WaitStrategy = WaitStrategy.SpinWait,
        PublishTimeout = Timeout.InfiniteTimeSpan,
    });

    private static Spike ReadOne(AxonReader reader)
    {
        var spinner = default(SpinWait);
        Spike spike;
        while (!reader.TryRead(out spike))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return spike;
    }

    private static void Drain(AxonReader reader, long expected, out long count, out long sum)
    {
        var buffer = new Spike[DrainBatch];
        var spinner = default(SpinWait);
        count = 0;
        sum = 0;
        while (count < expected)
        {
            var got = reader.Drain(buffer);
            if (got == 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            foreach (ref readonly var spike in buffer.AsSpan(0, got))
            {
                sum += spike.Source;
            }

            count += got;
        }
    }
}
