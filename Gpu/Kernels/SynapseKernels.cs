using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// CSR propagation of one tick's spikes into the delay rings with integer atomics (the sum is the same in any order,
/// so the result equals CpuEngine's). The parallelisation is chosen on the device by the tick's spike count, so the
/// host never waits for the count:
/// <list type="bullet">
/// <item>presynaptic (at least <c>preMinSpikes</c> spikes): a thread per spike walks its whole row; enough spikes fill the device and no lane idles;</item>
/// <item>postsynaptic span (fewer spikes): a group per spike, its lanes stride over the row's targets, so a handful of spikes still uses every lane.</item>
/// </list>
/// GeNN makes the same trade (PreSpan vs PostSpan), though at code-generation time rather than per tick.
/// </summary>
internal static class SynapseKernels
{
    /// <summary>Delivers Spikes[Meta[1] .. Meta[1] + Meta[2]) fired at <paramref name="tick"/>. Launch with explicit grouping.</summary>
    public static void Propagate<TDelivery>(TDelivery delivery, SpikeWindowViews w, CsrViews csr, RingViews r, int tick, int preMinSpikes)
        where TDelivery : struct, ISynapseDelivery
    {
        var first = w.Meta[1];
        var count = w.Meta[2];
        if (count >= preMinSpikes)
        {
            var stride = Grid.DimX * Group.DimX;
            for (var s = Grid.GlobalIndex.X; s < count; s += stride)
            {
                var j = w.Spikes[first + s];
                for (var k = csr.RowStart[j]; k < csr.RowStart[j + 1]; k++)
                {
                    delivery.Deliver(csr, r, tick, k);
                }
            }
        }
        else
        {
            for (var s = Grid.IdxX; s < count; s += Grid.DimX)
            {
                var j = w.Spikes[first + s];
                for (var k = csr.RowStart[j] + Group.IdxX; k < csr.RowStart[j + 1]; k += Group.DimX)
                {
                    delivery.Deliver(csr, r, tick, k);
                }
            }
        }
    }

    /// <summary>Adds synapse k's weight to its target's ring cell for tick + delay.</summary>
    public static void Deliver(CsrViews csr, RingViews r, int tick, int k)
    {
        var dc = csr.DelayChannel[k];
        Atomic.Add(ref r.Acc[r.Offset(dc & 3, tick + (dc >> 2)) + csr.Target[k]], csr.Weight[k]);
    }
}

/// <summary>What propagation does per synapse (a functor: ILGPU specialises the kernel per struct type).</summary>
internal interface ISynapseDelivery
{
    void Deliver(CsrViews csr, RingViews r, int tick, int k);
}

/// <summary>Fixed weights: delivery only.</summary>
internal readonly struct StaticDelivery : ISynapseDelivery
{
    public void Deliver(CsrViews csr, RingViews r, int tick, int k) => SynapseKernels.Deliver(csr, r, tick, k);
}

/// <summary>
/// Plastic weights: delivery with the weight as it stands, then, on a plastic synapse, depression by the target's post
/// trace as it stood before this tick's post spikes (CpuEngine's pre-before-post order). Each synapse belongs to one
/// spike's row, so one thread owns its weight and eligibility here.
/// </summary>
internal readonly struct PlasticDelivery(PlasticViews p) : ISynapseDelivery
{
    private readonly PlasticViews _p = p;

    public void Deliver(CsrViews csr, RingViews r, int tick, int k)
    {
        SynapseKernels.Deliver(csr, r, tick, k);
        var rule = _p.Rule[k];
        if (rule >= 0)
        {
            var post = PlasticityKernels.PostTrace(_p, rule, csr.Target[k], tick);
            PlasticityKernels.Change(_p, _p.Rules[rule], k, Rn.Mul(-_p.Rules[rule].AMinus, post), tick);
        }
    }
}
