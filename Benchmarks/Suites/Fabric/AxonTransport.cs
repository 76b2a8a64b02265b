using System.Diagnostics;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Fabric;

/// <summary>The Axon, with the lossless Block policy (the same guarantee the bounded channel gives).</summary>
internal sealed class AxonTransport : IFabricTransport
{
    public string Name => "Axon";

    public double OneToOne(long count, int batch)
    {
        using var axon = NewAxon();
        using var reader = axon.CreateReader();
        return BenchSpikes.Run(() => Produce(axon, count, batch), () => Consume(reader, count, batch));
    }

    public double FanOut(long count, int readers)
    {
        using var axon = NewAxon();
        var attached = Enumerable.Range(0, readers).Select(_ => axon.CreateReader()).ToArray();
        var seconds = BenchSpikes.Run(() => Produce(axon, count, 1), attached.Select(r => (Action)(() => Consume(r, count, 1))).ToArray());
        foreach (var reader in attached)
        {
            reader.Dispose();
        }

        return seconds;
    }

    public (double PublishNs, double DrainNs) SameThread(long count)
    {
        using var axon = NewAxon();
        using var reader = axon.CreateReader();
        var counter = new CountingHandler();
        var spike = BenchSpikes.Make(1);
        long publishTicks = 0, drainTicks = 0, done = 0;
        while (done < count)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < BenchSpikes.RingCapacity; i++)
            {
                spike.Sequence = (uint)i;
                axon.Publish(in spike);
            }

            var t1 = Stopwatch.GetTimestamp();
            reader.Drain(ref counter);
            var t2 = Stopwatch.GetTimestamp();
            publishTicks += t1 - t0;
            drainTicks += t2 - t1;
            done += BenchSpikes.RingCapacity;
        }

        if (counter.Count != done)
        {
            throw new InvalidOperationException("drain lost spikes");
        }

        return (publishTicks * 1e9 / Stopwatch.Frequency / done, drainTicks * 1e9 / Stopwatch.Frequency / done);
    }

    private static Axon NewAxon() => new(new AxonOptions
    {
        Capacity = BenchSpikes.RingCapacity,
        Overflow = OverflowPolicy.Block,
        WaitStrategy = WaitStrategy.SpinWait,
        PublishTimeout = Timeout.InfiniteTimeSpan,
    });

    private static void Produce(Axon axon, long count, int batch)
    {
        if (batch == 1)
        {
            for (long i = 0; i < count; i++)
            {
                axon.Publish(BenchSpikes.Make(i));
            }

            return;
        }

        var buffer = new Spike[batch];
        for (long i = 0; i < count; i += batch)
        {
            var n = (int)Math.Min(batch, count - i);
            for (var j = 0; j < n; j++)
            {
                buffer[j] = BenchSpikes.Make(i + j);
            }

            axon.PublishBatch(buffer.AsSpan(0, n));
        }
    }

    private static void Consume(AxonReader reader, long count, int batch)
    {
        long received = 0, last = -1;
        var spinner = default(SpinWait);
        if (batch == 1)
        {
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
        }
        else
        {
            var buffer = new Spike[batch];
            while (received < count)
            {
                var got = reader.Drain(buffer);
                if (got == 0)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                last = buffer[got - 1].Source;
                received += got;
            }
        }

        BenchSpikes.Check(count, received, last);
    }

    private struct CountingHandler : ISpikeHandler
    {
        public long Count;
        public long Checksum;

        public void OnSpike(in Spike spike, long sequence) => Checksum += spike.Sequence;

        public void OnBatchEnd(long firstSequence, int count) => Count += count;
    }
}
