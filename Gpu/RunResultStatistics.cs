namespace NeuroMesh.Engine;

/// <summary>
/// Per-population firing statistics of a <see cref="RunResult"/> over an analysis window
/// (see <see cref="PopulationStatistics"/>).
/// </summary>
public static class RunResultStatistics
{
    /// <summary>
    /// The statistics of neurons [<paramref name="first"/>, first + <paramref name="count"/>) over the spikes with
    /// tick in [<paramref name="fromTick"/>, StartTick + Ticks); the Fano factor uses bins of
    /// <paramref name="binTicks"/> ticks from <paramref name="fromTick"/> (an incomplete last bin is left out).
    /// </summary>
    public static PopulationStatistics Population(
        this RunResult result, int first, int count, long fromTick, long binTicks)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(binTicks);
        var end = result.StartTick + result.Ticks;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fromTick, end);
        var bins = (int)((end - fromTick) / binTicks);
        var spikes = new int[count];
        var last = new long[count];
        var isiSum = new double[count];
        var isiSumSq = new double[count];
        var binCounts = new int[count * Math.Max(1, bins)];
        foreach (var s in result.Spikes)
        {
            var i = s.Neuron - first;
            if (i < 0 || i >= count || s.Tick < fromTick || s.Tick >= end)
            {
                continue;
            }

            if (spikes[i]++ > 0)
            {
                double isi = s.Tick - last[i];
                isiSum[i] += isi;
                isiSumSq[i] += isi * isi;
            }

            last[i] = s.Tick;
            var bin = (s.Tick - fromTick) / binTicks;
            if (bin < bins)
            {
                binCounts[(i * bins) + bin]++;
            }
        }

        long total = 0;
        int firing = 0, cvNeurons = 0, fanoNeurons = 0;
        double cvSum = 0, fanoSum = 0;
        for (var i = 0; i < count; i++)
        {
            total += spikes[i];
            firing += spikes[i] > 0 ? 1 : 0;
            if (spikes[i] >= 3)
            {
                var k = spikes[i] - 1;
                var mean = isiSum[i] / k;
                cvSum += Math.Sqrt(Math.Max(0, (isiSumSq[i] / k) - (mean * mean))) / mean;
                cvNeurons++;
            }

            if (bins >= 2)
            {
                var fano = Fano(binCounts.AsSpan(i * bins, bins));
                if (!double.IsNaN(fano))
                {
                    fanoSum += fano;
                    fanoNeurons++;
                }
            }
        }

        var seconds = (end - fromTick) * result.Dt / 1000.0;
        return new PopulationStatistics(
            count == 0 ? 0 : total / (double)count / seconds,
            cvNeurons == 0 ? 0 : cvSum / cvNeurons,
            count == 0 ? 0 : firing / (double)count,
            fanoNeurons == 0 ? 0 : fanoSum / fanoNeurons);
    }

    /// <summary>Sample variance (n − 1) over mean of the counts; NaN when the mean is 0.</summary>
    private static double Fano(ReadOnlySpan<int> counts)
    {
        double sum = 0;
        foreach (var c in counts)
        {
            sum += c;
        }

        if (sum == 0)
        {
            return double.NaN;
        }

        var mean = sum / counts.Length;
        double sq = 0;
        foreach (var c in counts)
        {
            sq += (c - mean) * (c - mean);
        }

        return sq / (counts.Length - 1) / mean;
    }
}
