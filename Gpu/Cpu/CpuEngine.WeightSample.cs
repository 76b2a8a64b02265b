namespace NeuroMesh.Engine.Cpu;

/// <summary>Samples of the engine's synaptic weights, for weight-distribution plots (the gateway's STDP histogram).</summary>
public sealed partial class CpuEngine
{
    /// <summary>
    /// Up to <paramref name="max"/> weights (in the spec's units), evenly strided over the sparse synapses: the plastic ones
    /// when the network has any, otherwise all of them. Dense projection blocks are not included.
    /// </summary>
    /// <returns>How many synapses were eligible, whether they are the plastic ones, and the sample.</returns>
    public (long Eligible, bool Plastic, double[] Weights) SampleWeights(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var plastic = _parts.Any(p => p.Segs.Any(s => s.Plastic >= 0 && s.End > s.Start));
        long eligible = 0;
        foreach (var part in _parts)
        {
            foreach (var seg in part.Segs)
            {
                eligible += !plastic || seg.Plastic >= 0 ? seg.End - seg.Start : 0;
            }
        }

        var take = (int)Math.Min(max, eligible);
        var weights = new double[take];
        long index = 0;
        var filled = 0;
        foreach (var part in _parts)
        {
            foreach (var seg in part.Segs)
            {
                if (plastic && seg.Plastic < 0)
                {
                    continue;
                }

                // The filled-th sample is the eligible synapse at floor(filled * eligible / take); jump to each one that falls
                // in this segment (eligible synapses [index, index + length)) instead of walking every synapse.
                long length = seg.End - seg.Start;
                long at;
                while (filled < take && (at = filled * eligible / take) < index + length)
                {
                    weights[filled++] = part.Weights[seg.Start + (int)(at - index)] * (double)_state.Scale;
                }

                index += length;
            }
        }

        return (eligible, plastic, weights);
    }
}
