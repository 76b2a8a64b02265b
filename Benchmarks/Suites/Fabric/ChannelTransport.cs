using System.Diagnostics;
using System.Threading.Channels;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Fabric;

/// <summary>Peer: a bounded <see cref="Channel{T}"/> with the single-reader/single-writer options (one channel per reader for fan-out).</summary>
internal sealed class ChannelTransport : IFabricTransport
{
    public string Name => "Channel(bounded)";

    public double OneToOne(long count, int batch)
    {
        var channel = NewChannel();
        return BenchSpikes.Run(() => Produce([channel.Writer], count), () => Consume(channel.Reader, count));
    }

    public double FanOut(long count, int readers)
    {
        var channels = Enumerable.Range(0, readers).Select(_ => NewChannel()).ToArray();
        return BenchSpikes.Run(() => Produce(channels.Select(c => c.Writer).ToArray(), count), channels.Select(c => (Action)(() => Consume(c.Reader, count))).ToArray());
    }

    public (double PublishNs, double DrainNs) SameThread(long count)
    {
        var channel = NewChannel();
        var spike = BenchSpikes.Make(1);
        long publishTicks = 0, drainTicks = 0, done = 0, checksum = 0;
        while (done < count)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < BenchSpikes.RingCapacity; i++)
            {
                spike.Sequence = (uint)i;
                channel.Writer.TryWrite(spike);
            }

            var t1 = Stopwatch.GetTimestamp();
            while (channel.Reader.TryRead(out var s))
            {
                checksum += s.Sequence;
            }

            var t2 = Stopwatch.GetTimestamp();
            publishTicks += t1 - t0;
            drainTicks += t2 - t1;
            done += BenchSpikes.RingCapacity;
        }

        GC.KeepAlive(checksum);
        return (publishTicks * 1e9 / Stopwatch.Frequency / done, drainTicks * 1e9 / Stopwatch.Frequency / done);
    }

    private static Channel<Spike> NewChannel() => Channel.CreateBounded<Spike>(new BoundedChannelOptions(BenchSpikes.RingCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
        AllowSynchronousContinuations = false,
    });

    private static void Produce(ChannelWriter<Spike>[] writers, long count)
    {
        var spinner = default(SpinWait);
        for (long i = 0; i < count; i++)
        {
            var spike = BenchSpikes.Make(i);
            foreach (var writer in writers)
            {
                while (!writer.TryWrite(spike))
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }
        }
    }

    private static void Consume(ChannelReader<Spike> reader, long count)
    {
        long received = 0, last = -1;
        var spinner = default(SpinWait);
        while (received < count)
        {
            if (reader.TryRead(out var spike))
            {
                last = spike.Source;
                received++;
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        BenchSpikes.Check(count, received, last);
    }
}
