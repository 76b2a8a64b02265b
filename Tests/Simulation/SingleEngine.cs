using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Simulation;

/// <summary>What one engine on one thread makes of a spec: the reference every lockstep run must match exactly.</summary>
internal static class SingleEngine
{
    /// <summary>The spike count, spike-train hash and spikes of <paramref name="spec"/> run to its end on one engine.</summary>
    public static (long Spikes, string Hash, SpikeRecord[] Records) Reference(NetworkSpec spec)
    {
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var result = engine.Run(spec.TotalTicks);
        return (result.Spikes.Length, result.SpikeTrainHash, result.Spikes);
    }

    /// <summary>
    /// <paramref name="spec"/> run to its end on one engine with <paramref name="inputs"/>, each injected before the update
    /// of its tick, as a run's shards apply them: the spike count, the hash, and every plastic weight, sorted, after
    /// <paramref name="weightsAt"/> ticks (default: at the end; a finished run frees its shards, so a run's weights are
    /// read before its last tick).
    /// </summary>
    public static (long Spikes, string Hash, double[] PlasticWeights) WithInputs(NetworkSpec spec, IEnumerable<ExternalInput> inputs, long weightsAt = -1)
    {
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var records = new List<SpikeRecord>();
        double[]? weights = null;
        long at = 0;
        void RunTo(long tick)
        {
            if (weightsAt > at && weightsAt <= tick)
            {
                records.AddRange(engine.Run(weightsAt - at).Spikes);
                (at, weights) = (weightsAt, engine.SampleWeights(int.MaxValue).Weights);
            }

            records.AddRange(engine.Run(tick - at).Spikes);
            at = tick;
        }

        foreach (var group in inputs.GroupBy(i => i.Tick).OrderBy(g => g.Key))
        {
            RunTo(group.Key);
            foreach (var input in group)
            {
                engine.Inject(input.Neuron, input.Weight, input.Channel);
            }
        }

        RunTo(spec.TotalTicks);
        weights ??= engine.SampleWeights(int.MaxValue).Weights;
        Array.Sort(weights);
        return (records.Count, SpikeTrainHash.Of([.. records]), weights);
    }
}
