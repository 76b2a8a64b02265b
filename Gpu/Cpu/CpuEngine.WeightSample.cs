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

                for (var k = seg.Start; k < seg.End && filled < take; k++, index++)
                {
                    // The filled-th sample is the synapse at floor(filled * eligible / take).
                    if (index == filled * eligible / take)
                    {
                        weights[filled++] = part.Weights[k] * (double)_state.Scale;
                    }
                }
            }
        }

        return (eligible, plastic, weights);
    }
}
