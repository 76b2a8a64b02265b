using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Cpu;

public sealed partial class CpuEngine
{
    /// <summary>Adds the row of source <paramref name="j"/> in this worker's partition to the input rings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DeliverRow(int w, SparsePartition part, int j, int t, in Spike external, bool isExternal)
    {
        if ((uint)j >= (uint)NeuronCount)
        {
            return;
        }

        var targets = part.Targets;
        var weights = part.Weights;
        for (var s = part.SegStart[j]; s < part.SegStart[j + 1]; s++)
        {
            ref readonly var seg = ref part.Segs[s];
            var acc = _state.Acc[seg.Channel];
            var off = _state.SlotOffset(t + seg.Delay);
            if (!seg.Filtered && (seg.Plastic < 0 || isExternal))
            {
                // Targets are < Stride by construction (the spare column included), so the ring index stays in bounds.
                ref var accRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(acc), off);
                ref var targetRef = ref MemoryMarshal.GetArrayDataReference(targets);
                ref var weightRef = ref MemoryMarshal.GetArrayDataReference(weights);
                for (var k = seg.Start; k < seg.End; k++)
                {
                    Unsafe.Add(ref accRef, Unsafe.Add(ref targetRef, k)) += Unsafe.Add(ref weightRef, k);
                }

                if (_observedCount > 0)
                {
                    for (var k = seg.Start; k < seg.End; k++)
                    {
                        RecordObserved(w, j, targets[k], seg.Channel, t, seg.Delay, weights[k], in external, isExternal);
                    }
                }

                continue;
            }

            var rule = seg.Plastic >= 0 ? _rules[seg.Plastic] : null;
            for (var k = seg.Start; k < seg.End; k++)
            {
                var target = targets[k];
                if (seg.Filtered && part.Filters![k] != 0)
                {
                    var spike = SpikeOf(j, target, seg.Channel, t, in external, isExternal);
                    if (!_filters[part.Filters[k]]!.Accepts(in spike))
                    {
                        _workers[w].Filtered++;
                        continue;
                    }
                }

                acc[off + target] += weights[k];
                if (_observedCount > 0)
                {
                    RecordObserved(w, j, target, seg.Channel, t, seg.Delay, weights[k], in external, isExternal);
                }

                if (rule is not null && !isExternal && target < NeuronCount)
                {
                    // Pre before post: depression by the post trace as it stood before this tick's post spikes.
                    // A replayed remote spike reads the post trace as it stood in its own tick, not at the end of the window.
                    var post = _replaying ? ReplayPost(seg.Plastic, target, t) : rule.Post(target, t);
                    Change(w, part, rule, k, -rule.AMinus * post, t);
                }
            }
        }
    }

    private void ApplyPlasticity(int w, SparsePartition part, int t)
    {
        var parity = t & 1;
        foreach (var u in _workers)
        {
            var fired = u.Fired[parity];
            for (var f = 0; f < u.FiredCount[parity]; f++)
            {
                var j = fired[f];
                foreach (var rule in _rules)
                {
                    if (j >= rule.SrcStart && j < rule.SrcEnd)
                    {
                        rule.BumpPre(w, j, t);
                    }
                }
            }
        }

        if (part.In is null || part.InStart is null)
        {
            return;
        }

        var me = _workers[w];
        if (_hasModulation && part.Elig is not null)
        {
            foreach (var i in me.Modulated)
            {
                var m = _state.Modulation[i];
                for (var e = part.InStart[i - part.Lo]; e < part.InStart[i - part.Lo + 1]; e++)
                {
                    var rule = _rules[part.In[e].Plastic];
                    if (rule.Reward)
                    {
                        var syn = part.In[e].Syn;
                        var elig = part.Elig[syn] * rule.Decay(t - part.EligTick![syn], rule.TauElig);
                        SetWeight(me, part, rule, syn, part.Weights[syn] + (rule.LearningRate * m * elig * _state.ToFixed));
                    }
                }
            }
        }

        var mine = me.Fired[parity];
        for (var f = 0; f < me.FiredCount[parity]; f++)
        {
            var i = mine[f];
            for (var e = part.InStart[i - part.Lo]; e < part.InStart[i - part.Lo + 1]; e++)
            {
                if (IsRemote(part.In[e].Source))
                {
                    continue; // a shard's synapse from another shard: replayed when that window's spikes arrive (ApplyRemote)
                }

                var rule = _rules[part.In[e].Plastic];
                Change(w, part, rule, part.In[e].Syn, rule.APlus * rule.Pre(w, part.In[e].Source, t), t);
            }

            foreach (var rule in _rules)
            {
                rule.BumpPost(i, t);
            }
        }
    }

    /// <summary>STDP changes the weight; R-STDP adds the change to the (lazily decayed) eligibility trace instead.</summary>
    private void Change(int w, SparsePartition part, PlasticRule rule, int syn, double delta, int t)
    {
        if (rule.Reward)
        {
            part.Elig![syn] = (float)((part.Elig[syn] * rule.Decay(t - part.EligTick![syn], rule.TauElig)) + delta);
            part.EligTick[syn] = t;
        }
        else
        {
            SetWeight(_workers[w], part, rule, syn, part.Weights[syn] + (delta * _state.ToFixed));
        }
    }

    private static void SetWeight(WorkerSlot me, SparsePartition part, PlasticRule rule, int syn, double fixedWeight)
    {
        var rounded = Math.Round(fixedWeight);
        if (rounded > rule.WMax || rounded < rule.WMin)
        {
            me.Clipped++;
            rounded = Math.Clamp(rounded, rule.WMin, rule.WMax);
        }

        part.Weights[syn] = (int)rounded;
    }

    private MonitorBuffer[] PrepareTraces(long start, long ticks)
    {
        var offsets = _spec.PopulationOffsets();
        _traces = [.. _spec.Monitors.Where(m => m.Kind == MonitorKinds.State).Select(m =>
        {
            var pop = _spec.IndexOfPopulation(m.Population);
            var neurons = (m.Neurons ?? Enumerable.Range(0, _spec.Populations[pop].Size).ToArray()).Select(i => offsets[pop] + i).ToArray();
            var interval = (int)Math.Max(1, Math.Round((m.Interval ?? Dt) / Dt));
            return new MonitorBuffer(m.Name, m.Variable ?? "v", neurons, start, interval, ticks);
        })];
        return _traces;
    }
}
