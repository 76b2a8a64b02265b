namespace NeuroMesh.Engine;

/// <summary>What one run produced: every spike (sorted by tick, then neuron), per-neuron counts, the spike-train hash and the wall time.</summary>
public sealed class RunResult
{
    /// <summary>Creates a result.</summary>
    public RunResult(long startTick, long ticks, double dt, int neuronCount, int threads, SpikeRecord[] spikes, string spikeTrainHash, TimeSpan wallTime, IReadOnlyList<StateTrace> traces)
    {
        StartTick = startTick;
        Ticks = ticks;
        Dt = dt;
        Threads = threads;
        Spikes = spikes;
        SpikeTrainHash = spikeTrainHash;
        WallTime = wallTime;
        Traces = traces;
        SpikeCounts = new int[neuronCount];
        foreach (var s in spikes)
        {
            SpikeCounts[s.Neuron]++;
        }
    }

    /// <summary>The first tick of the run.</summary>
    public long StartTick { get; }

    /// <summary>The number of ticks run.</summary>
    public long Ticks { get; }

    /// <summary>The time step in ms.</summary>
    public double Dt { get; }

    /// <summary>The number of threads that ran it.</summary>
    public int Threads { get; }

    /// <summary>Every spike, sorted by tick and then neuron.</summary>
    public SpikeRecord[] Spikes { get; }

    /// <summary>Spikes per neuron.</summary>
    public int[] SpikeCounts { get; }

    /// <summary>SHA-256 (hex) over the sorted (tick, neuron) pairs, each as two little-endian 64-bit and 32-bit integers.</summary>
    public string SpikeTrainHash { get; }

    /// <summary>The wall time of the tick loop (excludes building the network).</summary>
    public TimeSpan WallTime { get; }

    /// <summary>The samples of the state monitors.</summary>
    public IReadOnlyList<StateTrace> Traces { get; }

    /// <summary>The spikes of each spike monitor of the spec, by monitor name (the monitored neurons only).</summary>
    public IReadOnlyDictionary<string, SpikeRecord[]> MonitoredSpikes { get; init; } = new Dictionary<string, SpikeRecord[]>();

    /// <summary>The mean firing rate (Hz) over the neurons in [<paramref name="first"/>, first + count), or all neurons.</summary>
    public double MeanRateHz(int first = 0, int count = -1)
    {
        count = count < 0 ? SpikeCounts.Length - first : count;
        long total = 0;
        for (var i = first; i < first + count; i++)
        {
            total += SpikeCounts[i];
        }

        return count == 0 ? 0 : total / (double)count / (Ticks * Dt / 1000.0);
    }

    /// <summary>The fraction of neurons that fired at least once.</summary>
    public double FractionFiring() => SpikeCounts.Length == 0 ? 0 : SpikeCounts.Count(c => c > 0) / (double)SpikeCounts.Length;

    /// <summary>The mean over neurons with at least 3 spikes of std(ISI) / mean(ISI) (population standard deviation).</summary>
    public double MeanCvIsi()
    {
        var last = new long[SpikeCounts.Length];
        var n = new int[SpikeCounts.Length];
        var sum = new double[SpikeCounts.Length];
        var sumSq = new double[SpikeCounts.Length];
        foreach (var s in Spikes)
        {
            if (n[s.Neuron]++ > 0)
            {
                double isi = s.Tick - last[s.Neuron];
                sum[s.Neuron] += isi;
                sumSq[s.Neuron] += isi * isi;
            }

            last[s.Neuron] = s.Tick;
        }

        double cvSum = 0;
        var neurons = 0;
        for (var i = 0; i < n.Length; i++)
        {
            if (n[i] >= 3)
            {
                var k = n[i] - 1;
                var mean = sum[i] / k;
                var variance = Math.Max(0, (sumSq[i] / k) - (mean * mean));
                cvSum += Math.Sqrt(variance) / mean;
                neurons++;
            }
        }

        return neurons == 0 ? 0 : cvSum / neurons;
    }
}
