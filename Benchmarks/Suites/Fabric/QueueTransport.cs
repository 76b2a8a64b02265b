using System.Collections.Concurrent;
using System.Diagnostics;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Fabric;

/// <summary>Peer: <see cref="ConcurrentQueue{T}"/> (unbounded; one queue per reader for fan-out).</summary>
internal sealed class QueueTransport : IFabricTransport
{
    public string Name => "ConcurrentQueue";

    public double OneToOne(long count, int batch)
    {
        var queue = new ConcurrentQueue<Spike>();
        return BenchSpikes.Run(() => Produce([queue], count), () => Consume(queue, count));
    }

    public double FanOut(long count, int readers)
    {
        var queues = Enumerable.Range(0, readers).Select(_ => new ConcurrentQueue<Spike>()).ToArray();
        return BenchSpikes.Run(() => Produce(queues, count), queues.Select(q => (Action)(() => Consume(q, count))).ToArray());
    }

    public (double PublishNs, double DrainNs) SameThread(long count)
    {
        var queue = new ConcurrentQueue<Spike>();
        var spike = BenchSpikes.Make(1);
        long publishTicks = 0, drainTicks = 0, done = 0, checksum = 0;
        while (done < count)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < BenchSpikes.RingCapacity; i++)
            {
                spike.Sequence = (uint)i;
                queue.Enqueue(spike);
            }

            var t1 = Stopwatch.GetTimestamp();
            while (queue.TryDequeue(out var s))
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

    private static void Produce(ConcurrentQueue<Spike>[] queues, long count)
    {
        for (long i = 0; i < count; i++)
        {
            var spike = BenchSpikes.Make(i);
            foreach (var queue in queues)
            {
                queue.Enqueue(spike);
            }
        }
    }

    private static void Consume(ConcurrentQueue<Spike> queue, long count)
    {
        long received = 0, last = -1;
        var spinner = default(SpinWait);
        while (received < count)
        {
            if (queue.TryDequeue(out var spike))
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
