using NeuroMesh.Engine;

namespace NeuroMesh.Simulation;

/// <summary>
/// Splits an advance's spikes into tap batches small enough for a stream message. A checkpoint of a busy network holds
/// hundreds of thousands of spikes (12 bytes each), past what Orleans' memory streams take in one message (about 1 MB:
/// they fail the publish with "Message size is too big"), and a tap that fails stops showing the run.
/// </summary>
internal static class SpikeTapChunks
{
    /// <summary>The most spikes in one tap batch: about 390 KB of ticks and neurons.</summary>
    public const int MaxSpikes = 32_768;

    /// <summary>
    /// The batches for the spikes of ticks [<paramref name="from"/>, <paramref name="to"/>), in (tick, neuron) order, at most
    /// <paramref name="max"/> spikes each. They cut between ticks and cover the range without gaps, each batch's first tick
    /// the previous one's end, so subscribers' gap detection holds. A single tick with more spikes than that is cut inside
    /// the tick: its pieces all cover [t, t + 1).
    /// </summary>
    public static IEnumerable<(long From, long To, int Start, int Count)> Split(long from, long to, IReadOnlyList<SpikeRecord> spikes, int max = MaxSpikes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var (chunkFrom, start) = (from, 0);
        var i = 0;
        while (i < spikes.Count)
        {
            // The spikes of tick t: [i, j).
            var t = spikes[i].Tick;
            var j = i;
            while (j < spikes.Count && spikes[j].Tick == t)
            {
                j++;
            }

            if (j - start > max && i > start)
            {
                // This tick does not fit beside what is gathered: that goes out, ending where this tick begins.
                yield return (chunkFrom, t, start, i - start);
                (chunkFrom, start) = (t, i);
            }

            for (; j - start > max; start += max)
            {
                yield return (t, t + 1, start, max); // one tick alone is over the limit
                chunkFrom = t;
            }

            i = j;
        }

        yield return (chunkFrom, to, start, spikes.Count - start);
    }
}
