using ILGPU;
using ILGPU.Algorithms;

namespace NeuroMesh.Engine.Kernels;

/// <summary>The constants of one plastic projection as a kernel argument (see <see cref="Cpu.PlasticRule"/>).</summary>
internal readonly struct RuleParams(Cpu.PlasticRule r, double dt)
{
    public readonly int Reward = r.Reward ? 1 : 0;
    public readonly double APlus = r.APlus;
    public readonly double AMinus = r.AMinus;
    public readonly double TauPlus = r.TauPlus;
    public readonly double TauMinus = r.TauMinus;
    public readonly double TauElig = r.TauElig;
    public readonly double LearningRate = r.LearningRate;
    public readonly int WMin = r.WMin;
    public readonly int WMax = r.WMax;
    public readonly int SrcStart = r.SrcStart;
    public readonly int SrcEnd = r.SrcEnd;
    public readonly double Dt = dt;
}

/// <summary>
/// The plasticity state on the device. Traces are lazy, as on the CPU: (value after the last spike, tick of that spike),
/// decayed on read; PreX/PreT/PostY/PostT are indexed rule × Neurons + neuron. Per synapse (CSR index): the rule
/// (-1 when the synapse is not plastic), its fixed-point weight (the CSR's own) and, for R-STDP, the eligibility trace and its tick. In[InStart[i] .. InStart[i + 1])
/// lists the plastic synapses onto neuron i (CSR index and source).
/// </summary>
internal struct PlasticViews
{
    public ArrayView<RuleParams> Rules;
    public int Neurons;
    public ArrayView<float> PreX;
    public ArrayView<int> PreT;
    public ArrayView<float> PostY;
    public ArrayView<int> PostT;
    public ArrayView<int> Rule;
    public ArrayView<int> Weight;
    public ArrayView<float> Elig;
    public ArrayView<int> EligTick;
    public ArrayView<int> InStart;
    public ArrayView<int> InSyn;
    public ArrayView<int> InSource;
    public ArrayView<float> Modulation;
    public ArrayView<long> Counters;
    public double ToFixed;
}

/// <summary>
/// STDP and R-STDP on the device, in the order and with the arithmetic of CpuEngine (double traces stored as floats, the
/// same exponentials, round half to even into fixed point), so weights and spike trains stay bit-identical to it. Per tick:
/// <see cref="Modulate"/> before the update; depression inside propagation (<see cref="PlasticDelivery"/>), with the post
/// trace as it stood before this tick's post spikes; then <see cref="BumpPre"/>; then <see cref="Post"/> (reward-gated
/// changes, potentiation with the pre trace that includes this tick's spike, and the post traces).
/// </summary>
internal static class PlasticityKernels
{
    /// <summary>Reads and clears neuron i's modulatory input of this tick into Modulation[i] (0 when none arrived), for i in [lo, hi).</summary>
    public static void Modulate(ArrayView<int> acc, PlasticViews p, int slot, int channelSize, float scale, int lo, int hi)
    {
        for (var i = lo + Grid.GlobalIndex.X; i < hi; i += Grid.DimX * Group.DimX)
        {
            var cell = (2 * channelSize) + slot + i;
            var m = acc[cell];
            p.Modulation[i] = Rn.Mul(m, scale);
            if (m != 0)
            {
                acc[cell] = 0;
            }
        }
    }

    /// <summary>The pre traces of the tick's spikes Spikes[Meta[1] .. Meta[1] + Meta[2]), for every rule whose source population holds them.</summary>
    public static void BumpPre(SpikeWindowViews w, PlasticViews p, int tick)
    {
        var first = w.Meta[1];
        var count = w.Meta[2];
        for (var s = Grid.GlobalIndex.X; s < count; s += Grid.DimX * Group.DimX)
        {
            var j = w.Spikes[first + s];
            for (var r = 0; r < p.Rules.IntLength; r++)
            {
                var rule = p.Rules[r];
                if (j >= rule.SrcStart && j < rule.SrcEnd)
                {
                    var at = (r * p.Neurons) + j;
                    p.PreX[at] = (float)Rn.Add(Rn.Mul(p.PreX[at], Decay(tick - p.PreT[at], rule.Dt, rule.TauPlus)), 1);
                    p.PreT[at] = tick;
                }
            }
        }
    }

    /// <summary>
    /// Neuron i after the tick's deliveries: a modulated neuron turns the eligibility of its R-STDP synapses into weight
    /// change; a neuron that fired potentiates its plastic synapses by their pre traces and bumps its post traces.
    /// Synapses from sources outside [<paramref name="lo"/>, <paramref name="hi"/>) (another shard's neurons) are left to
    /// <see cref="PostRemote"/>, which replays them once that shard's spikes of the window have arrived.
    /// </summary>
    public static void Post(ArrayView<int> fired, PlasticViews p, int tick, int modulated, int lo, int hi)
    {
        for (var i = Grid.GlobalIndex.X; i < p.Neurons; i += Grid.DimX * Group.DimX)
        {
            if (modulated != 0)
            {
                var m = p.Modulation[i];
                if (m != 0f)
                {
                    for (var e = p.InStart[i]; e < p.InStart[i + 1]; e++)
                    {
                        var syn = p.InSyn[e];
                        var rule = p.Rules[p.Rule[syn]];
                        if (rule.Reward != 0)
                        {
                            var elig = Rn.Mul(p.Elig[syn], Decay(tick - p.EligTick[syn], rule.Dt, rule.TauElig));
                            p.Weight[syn] = SetWeight(p, rule, Rn.Add(p.Weight[syn], Rn.Mul(Rn.Mul(Rn.Mul(rule.LearningRate, m), elig), p.ToFixed)));
                        }
                    }
                }
            }

            if (fired[i] == 0)
            {
                continue;
            }

            Potentiate(p, i, tick, lo, hi, remote: false);
        }
    }

    /// <summary>
    /// The replay of a shard's window for its synapses from other shards' neurons (see CpuEngine.ApplyRemote), at
    /// <paramref name="tick"/>, after the rows of that tick's remote spikes (depression by <paramref name="replay"/>'s post
    /// traces) and their pre-trace bumps: each local spike Spikes[Meta[1] .. Meta[1] + Meta[2]) of the tick potentiates its
    /// synapses from sources outside [<paramref name="lo"/>, <paramref name="hi"/>) by their pre traces, then bumps the
    /// replayed post traces (<paramref name="replay"/>'s PostY/PostT: a copy taken as the window started).
    /// </summary>
    public static void PostRemote(SpikeWindowViews w, PlasticViews replay, int tick, int lo, int hi)
    {
        var first = w.Meta[1];
        var count = w.Meta[2];
        for (var s = Grid.GlobalIndex.X; s < count; s += Grid.DimX * Group.DimX)
        {
            Potentiate(replay, w.Spikes[first + s], tick, lo, hi, remote: true);
        }
    }

    /// <summary>Neuron i fired: potentiation of its plastic synapses from local (or only remote) sources, then its post traces.</summary>
    private static void Potentiate(PlasticViews p, int i, int tick, int lo, int hi, bool remote)
    {
        for (var e = p.InStart[i]; e < p.InStart[i + 1]; e++)
        {
            var source = p.InSource[e];
            if ((source < lo || source >= hi) != remote)
            {
                continue;
            }

            var syn = p.InSyn[e];
            var r = p.Rule[syn];
            var rule = p.Rules[r];
            var at = (r * p.Neurons) + source;
            Change(p, rule, syn, Rn.Mul(rule.APlus, Rn.Mul(p.PreX[at], Decay(tick - p.PreT[at], rule.Dt, rule.TauPlus))), tick);
        }

        for (var r = 0; r < p.Rules.IntLength; r++)
        {
            var at = (r * p.Neurons) + i;
            p.PostY[at] = (float)Rn.Add(PostTrace(p, r, i, tick), 1);
            p.PostT[at] = tick;
        }
    }

    /// <summary>Rule r's post trace of neuron i read at <paramref name="tick"/>.</summary>
    public static double PostTrace(PlasticViews p, int r, int i, int tick)
    {
        var at = (r * p.Neurons) + i;
        return Rn.Mul(p.PostY[at], Decay(tick - p.PostT[at], p.Rules[r].Dt, p.Rules[r].TauMinus));
    }

    /// <summary>STDP changes the weight; R-STDP adds the change to the lazily decayed eligibility trace instead.</summary>
    public static void Change(PlasticViews p, RuleParams rule, int syn, double delta, int tick)
    {
        if (rule.Reward != 0)
        {
            p.Elig[syn] = (float)Rn.Add(Rn.Mul(p.Elig[syn], Decay(tick - p.EligTick[syn], rule.Dt, rule.TauElig)), delta);
            p.EligTick[syn] = tick;
        }
        else
        {
            p.Weight[syn] = SetWeight(p, rule, Rn.Add(p.Weight[syn], Rn.Mul(delta, p.ToFixed)));
        }
    }

    /// <summary>exp(-ticks·dt/τ), evaluated as CpuEngine's <see cref="Cpu.PlasticRule.Decay"/> does (the same <see cref="Rn.Exp"/>).</summary>
    public static double Decay(int ticks, double dt, double tau) => Rn.Exp(Rn.Mul(-ticks, dt) / tau);

    /// <summary>Rounds half to even (as <see cref="Math.Round(double)"/>), clips to the rule's bounds and counts a clip in Counters[1].</summary>
    private static int SetWeight(PlasticViews p, RuleParams rule, double fixedWeight)
    {
        var floor = XMath.Floor(fixedWeight);
        var fraction = Rn.Sub(fixedWeight, floor); // exact: both lie in one binade of the integer part
        var rounded = fraction > 0.5 || (fraction == 0.5 && (((long)floor) & 1) != 0) ? Rn.Add(floor, 1) : floor;
        if (rounded > rule.WMax || rounded < rule.WMin)
        {
            Atomic.Add(ref p.Counters[1], 1L);
            rounded = rounded > rule.WMax ? rule.WMax : rule.WMin;
        }

        return (int)rounded;
    }
}
