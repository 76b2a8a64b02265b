using NeuroMesh.Network;

namespace NeuroMesh.Engine.Cpu;

/// <summary>Spec-derived pieces every engine shares: the spike monitors' selections and the initial potentials.</summary>
internal static class SpikeMonitors
{
    /// <summary>The spikes of each spike monitor of the spec, by monitor name.</summary>
    public static Dictionary<string, SpikeRecord[]> Select(NetworkSpec spec, SpikeRecord[] spikes)
    {
        var offsets = spec.PopulationOffsets();
        var result = new Dictionary<string, SpikeRecord[]>(StringComparer.Ordinal);
        foreach (var m in spec.Monitors.Where(m => m.Kind == MonitorKinds.Spikes))
        {
            var pop = spec.IndexOfPopulation(m.Population);
            var first = offsets[pop];
            var size = spec.Populations[pop].Size;
            var chosen = m.Neurons is null ? null : new HashSet<int>(m.Neurons.Select(i => first + i));
            result[m.Name] = [.. spikes.Where(s => s.Neuron >= first && s.Neuron < first + size && (chosen is null || chosen.Contains(s.Neuron)))];
        }

        return result;
    }

    /// <summary>Fills <paramref name="v"/> with each population's initial potential (vInit drawn per neuron from the counter-based generator).</summary>
    public static void InitialPotentials(NetworkSpec spec, ulong seed, float[] v, int lo = 0, int hi = int.MaxValue)
    {
        var offsets = spec.PopulationOffsets();
        for (var p = 0; p < spec.Populations.Count; p++)
        {
            var q = spec.Populations[p].Params;

            // Keyed by the global id, so a shard ([lo, hi)) draws exactly the values its neurons have in the whole network.
            var first = Math.Max(0, lo - offsets[p]);
            var end = Math.Min(spec.Populations[p].Size, hi - offsets[p]);
            for (var i = first; i < end; i++)
            {
                var id = offsets[p] + i;
                v[id] = (float)(q.VInit is null ? q.VRest : ConnectivityExpander.Sample(q.VInit, seed, CounterRng.StreamInitV, (ulong)id));
            }
        }
    }
}
