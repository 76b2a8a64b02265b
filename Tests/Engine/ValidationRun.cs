using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

/// <summary>Runs a spec on the CpuEngine over several seeds and averages each population's statistics.</summary>
internal static class ValidationRun
{
    public static Dictionary<string, PopulationStatistics> MeanOverSeeds(NetworkSpec spec, IReadOnlyList<ulong> seeds,
        double warmupMs, double binMs)
    {
        var sums = spec.Populations.ToDictionary(p => p.Name, _ => new double[4]);
        var offsets = spec.PopulationOffsets();
        foreach (var seed in seeds)
        {
            using var engine = new CpuEngine(spec, new EngineOptions { Seed = seed });
            var result = engine.Run(spec.TotalTicks);
            for (var p = 0; p < spec.Populations.Count; p++)
            {
                var s = result.Population(offsets[p], spec.Populations[p].Size,
                    (long)Math.Round(warmupMs / spec.Dt), (long)Math.Round(binMs / spec.Dt));
                var sum = sums[spec.Populations[p].Name];
                sum[0] += s.RateHz;
                sum[1] += s.CvIsi;
                sum[2] += s.FractionFiring;
                sum[3] += s.Fano;
            }
        }

        double n = seeds.Count;
        return sums.ToDictionary(kv => kv.Key, kv => new PopulationStatistics(
            kv.Value[0] / n, kv.Value[1] / n, kv.Value[2] / n, kv.Value[3] / n));
    }
}
