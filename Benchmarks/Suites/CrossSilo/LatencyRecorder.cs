using System.Diagnostics;
using NeuroMesh.Cluster;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>
/// The receiving silo's end of the benchmark: counts spikes and records each one's delivery latency (now minus the
/// spike's <see cref="Spike.Timestamp"/>, written by the sender from <see cref="Stopwatch"/>, which is CLOCK_MONOTONIC on
/// Linux and so shared by every process on the machine) in 10 µs buckets up to 2 s.
/// </summary>
public sealed class LatencyRecorder : IMeshSpikeConsumer
{
    private const long BucketMicros = 10;
    private readonly object _gate = new();
    private readonly long[] _buckets = new long[200_000];
    private readonly SpikeFrameDecoder _callDecoder = new();
    private long _count;
    private long _overflow;

    /// <inheritdoc />
    public void Deliver(ulong sender, ReadOnlySpan<Spike> spikes) => Record(spikes);

    /// <summary>The grain-call peer's path: validates the frame like the mesh ingress does, then records its spikes.</summary>
    public void DeliverFrame(byte[] frame)
    {
        lock (_gate)
        {
            if (_callDecoder.TryDecode(frame, out _, out var spikes) == SpikeFrameRejection.None)
            {
                Record(spikes);
            }
        }
    }

    /// <summary>Forgets everything recorded so far.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Array.Clear(_buckets);
            _count = 0;
            _overflow = 0;
        }
    }

    /// <summary>Spikes recorded and latency percentiles (ms).</summary>
    public LatencyStats Stats()
    {
        lock (_gate)
        {
            return new LatencyStats(_count, Percentile(0.50), Percentile(0.99), Percentile(0.999), _callDecoder.RejectedTotal);
        }
    }

    private void Record(ReadOnlySpan<Spike> spikes)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (ref readonly var spike in spikes)
            {
                var micros = (long)((now - spike.Timestamp) * 1e6 / Stopwatch.Frequency);
                var bucket = micros / BucketMicros;
                if (bucket >= 0 && bucket < _buckets.Length)
                {
                    _buckets[bucket]++;
                }
                else
                {
                    _overflow++;
                }
            }

            _count += spikes.Length;
        }
    }

    private double Percentile(double q)
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * _count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return (i + 1) * BucketMicros / 1000.0;
            }
        }

        return double.PositiveInfinity;
    }
}
