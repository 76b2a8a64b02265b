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
    public static void Propagate(SpikeWindowViews w, CsrViews csr, RingViews r, int tick, int preMinSpikes)
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
                    Deliver(csr, r, tick, k);
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
                    Deliver(csr, r, tick, k);
                }
            }
        }
    }

    private static void Deliver(CsrViews csr, RingViews r, int tick, int k)
    {
        var dc = csr.DelayChannel[k];
        Atomic.Add(ref r.Acc[r.Offset(dc & 3, tick + (dc >> 2)) + csr.Target[k]], csr.Weight[k]);
    }
}
