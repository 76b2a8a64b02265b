using NeuroMesh.Simulation;

namespace NeuroMesh.Silo.Http;

/// <summary>A histogram of a <see cref="WeightSample"/>: <see cref="Counts"/> in equal bins from <see cref="Min"/> to <see cref="Max"/>.</summary>
internal sealed record WeightHistogram(long Synapses, bool Plastic, int Sampled, double Min, double Max, int[] Counts)
{
    public static WeightHistogram Of(WeightSample sample, int bins)
    {
        var weights = sample.Weights;
        if (weights.Length == 0)
        {
            return new WeightHistogram(sample.Synapses, sample.Plastic, 0, 0, 0, new int[bins]);
        }

        var (min, max) = (weights.Min(), weights.Max());
        var counts = new int[bins];
        var width = max > min ? (max - min) / bins : 1;
        foreach (var w in weights)
        {
            counts[Math.Min(bins - 1, (int)((w - min) / width))]++;
        }

        return new WeightHistogram(sample.Synapses, sample.Plastic, weights.Length, min, max, counts);
    }
}
