using NeuroMesh.Simulation;

namespace NeuroMesh.Engine.Cpu;

/// <summary>Plastic weights as sparse diffs: what STDP changed since the last call, for the run's log.</summary>
public sealed partial class CpuEngine
{
    private int[][]? _weightBaseline;
    private SparsePartition[]? _baselineParts;

    /// <summary>Takes the weights as built as the baseline of the first diff (called once the partitions exist).</summary>
    private void CaptureWeightBaseline()
    {
        _weightBaseline = [.. _parts.Select(p => p.In is null ? [] : p.In.Select(e => p.Weights[e.Syn]).ToArray())];
        _baselineParts = _parts;
    }

    /// <summary>
    /// Returns the plastic synapses (of the neurons this engine owns) whose weight changed since the previous call, and
    /// makes the current weights the baseline of the next. The first call compares with the weights the engine was built
    /// with; after synapse edits rebuilt the partitions, every plastic synapse is reported once.
    /// </summary>
    public PlasticWeightDiff DiffPlasticWeights()
    {
        if (!ReferenceEquals(_baselineParts, _parts))
        {
            // Edits rebuilt the partitions: the old baseline no longer lines up, so report every plastic synapse once.
            _weightBaseline = [.. _parts.Select(p => p.In is null ? [] : Enumerable.Repeat(int.MinValue, p.In.Length).ToArray())];
            _baselineParts = _parts;
        }

        List<int> targets = [], slots = [], sources = [], weights = [];
        for (var w = 0; w < _parts.Length; w++)
        {
            var part = _parts[w];
            if (part.In is null || part.InStart is null)
            {
                continue;
            }

            var baseline = _weightBaseline![w];
            for (var i = part.Lo; i < part.Hi; i++)
            {
                for (int k = part.InStart[i - part.Lo], end = part.InStart[i - part.Lo + 1]; k < end; k++)
                {
                    var weight = part.Weights[part.In[k].Syn];
                    if (weight != baseline[k])
                    {
                        baseline[k] = weight;
                        targets.Add(i);
                        slots.Add(k - part.InStart[i - part.Lo]);
                        sources.Add(part.In[k].Source);
                        weights.Add(weight);
                    }
                }
            }
        }

        return new PlasticWeightDiff([.. targets], [.. slots], [.. sources], [.. weights], _state.FixedShift);
    }
}
