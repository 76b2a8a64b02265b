using System.Runtime.CompilerServices;
using NeuroMesh.Network;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// How much memory a <see cref="CpuEngine"/> built from a spec needs at its peak (while it builds its synapse tables),
/// estimated from the spec alone, before anything is allocated. Each term is the engine's own arrays, sized as the
/// engine sizes them: the neuron state and input rings of <see cref="NeuronArrays"/>, the construction edges of
/// <see cref="NetworkPlan"/> (a list and an array of <see cref="Edge"/> at once), the CSR arrays of
/// <see cref="PartitionBuilder"/>, the traces of <see cref="PlasticRule"/>, dense blocks, stimuli and state monitors.
/// Spike monitors grow with the activity, which no spec states, so they are not counted.
/// </summary>
public static class CpuEngineFootprint
{
    /// <summary>The estimate for <paramref name="spec"/> on an engine with <paramref name="threads"/> workers (of a valid spec).</summary>
    public static MemoryEstimate Estimate(NetworkSpec spec, int threads)
    {
        ArgumentNullException.ThrowIfNull(spec);
        threads = Math.Max(1, threads);
        double n = spec.NeuronCount;
        var slots = MaxDelayTicks(spec) + 1.0;

        // NeuronArrays: V, Ge, Gi, Modulation (float) and RefUntil (int) per neuron; Acc: 3 channels x slots x (n + 1) ints.
        // NetworkPlan.InBound (double), PartitionBuilder's owner (byte) and, per worker, its row counts and segment starts
        // (int each); WorkerSlot.Fired: two int buffers over the worker's range.
        var neurons = n * ((4 * sizeof(float)) + sizeof(int) + (3 * slots * sizeof(int)) + sizeof(double) + sizeof(byte)
            + (2 * threads * sizeof(int)) + (2 * sizeof(int)));

        double synapses = 0, plastic = 0, dense = 0, stimuli = 0, monitors = 0;
        foreach (var p in spec.Projections)
        {
            var edges = NetworkPlan.EstimateEdges(spec, p);
            if (p.Storage == SynapseStorageKinds.Dense)
            {
                // The plan's list of the block's edges, then DenseBlock.W: one int per source x target pair.
                dense += (edges * Unsafe.SizeOf<Edge>()) + (Size(spec, p.Source) * (double)Size(spec, p.Target) * sizeof(int));
                continue;
            }

            // At the peak, the plan's List<Edge> and its Edge[] copy, and the partition's sort order, targets and weights
            // (ints), plus a filter id (ushort) per synapse when the projection has a filter.
            synapses += edges * ((2 * Unsafe.SizeOf<Edge>()) + (3 * sizeof(int)) + (p.Filter is null ? 0 : sizeof(ushort)));
            if (p.Plasticity is { } rule && rule.Kind != PlasticityKinds.None)
            {
                // Per plastic synapse: its incoming entry and its baseline weight; reward-modulated rules add an
                // eligibility trace (float) and its tick (int). Per rule: pre traces per worker and post traces (float + int).
                var perSynapse = Unsafe.SizeOf<InEntry>() + sizeof(int) + (rule.Kind == PlasticityKinds.RStdp ? sizeof(float) + sizeof(int) : 0);
                plastic += (edges * perSynapse) + ((threads + 1) * n * (sizeof(float) + sizeof(int)));
            }
        }

        foreach (var s in spec.Stimuli)
        {
            // Poisson: the target neurons' ids, as listed and sorted (two int arrays); spike times: one timed input each, listed and sorted.
            stimuli += s.Kind == StimulusKinds.Poisson
                ? 2.0 * (s.Neurons?.Length ?? Size(spec, s.Target)) * sizeof(int)
                : 2.0 * (s.Spikes?.Count ?? 0) * 16;
        }

        foreach (var m in spec.Monitors)
        {
            if (m.Kind == MonitorKinds.State)
            {
                // MonitorBuffer: one float per sampled neuron per sample, capped where the buffer caps it.
                var interval = Math.Max(1, Math.Round((m.Interval ?? spec.Dt) / spec.Dt));
                var samples = Math.Ceiling(spec.TotalTicks / interval) * (m.Neurons?.Length ?? Size(spec, m.Population));
                monitors += Math.Min(samples, int.MaxValue / 4) * sizeof(float);
            }
        }

        return new MemoryEstimate(Bytes(neurons), Bytes(synapses + plastic + dense), Bytes(stimuli), Bytes(monitors));
    }

    /// <summary>The longest synaptic delay in ticks, as the engine stores it (at most 65535).</summary>
    internal static int MaxDelayTicks(NetworkSpec spec)
        => spec.Projections.Count == 0 ? 0 : (int)Math.Clamp(spec.Projections.Max(p => p.Delay is null ? 0 : Math.Round(p.Delay.Max / spec.Dt)), 0, ushort.MaxValue);

    private static int Size(NetworkSpec spec, string name) => spec.Populations.FirstOrDefault(p => p.Name == name)?.Size ?? 0;

    private static long Bytes(double bytes) => bytes >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(bytes);
}
