using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>
/// The per-neuron kernels: the LIF update with threshold and reset, forced spikes and state sampling. Every kernel is a
/// grid-stride loop, so the host picks the grid (the whole device on a GPU, one small group on the CPU emulator).
/// </summary>
internal static class NeuronKernels
{
    /// <summary>
    /// One tick of neuron <paramref name="i"/> if its population uses <typeparamref name="TModel"/>: read and clear the
    /// input that arrived in <paramref name="slot"/>, integrate (v held while refractory), check the threshold, reset,
    /// and set Fired[i]. Same order as CpuEngine (and Brian2). Only the neurons [<paramref name="lo"/>, <paramref name="hi"/>)
    /// are updated (a shard's own); the others never fire here.
    /// </summary>
    public static void Update<TModel>(TModel model, NeuronViews n, RingViews r, ArrayView<LifParams> pops, int tick, int slot, float scale, int lo, int hi)
        where TModel : struct, ILifModel
    {
        for (var i = lo + Grid.GlobalIndex.X; i < hi; i += Grid.DimX * Group.DimX)
        {
            UpdateOne(model, n, r, pops, tick, slot, scale, i);
        }
    }

    private static void UpdateOne<TModel>(TModel model, NeuronViews n, RingViews r, ArrayView<LifParams> pops, int tick, int slot, float scale, int i)
        where TModel : struct, ILifModel
    {
        var p = pops[(int)n.Population[i]];
        if (p.Model != model.ModelId)
        {
            return;
        }

        var e = slot + i;
        var inh = r.ChannelSize + slot + i;
        var inE = r.Acc[e];
        var inI = r.Acc[inh];
        r.Acc[e] = 0;
        r.Acc[inh] = 0;
        var gE = Rn.Add(n.Ge[i], Rn.Mul(inE, scale));
        var gI = Rn.Add(n.Gi[i], Rn.Mul(inI, scale));
        var fired = 0;
        if (tick >= n.RefUntil[i])
        {
            var vn = model.Membrane(p, n.V[i], gE, gI, inE, inI, scale);
            if (vn > p.Vt)
            {
                vn = p.Vr;
                n.RefUntil[i] = tick + p.RefTicks;
                fired = 1;
            }

            n.V[i] = vn;
        }

        n.Fired[i] = fired;
        if (model.HasConductances)
        {
            n.Ge[i] = Rn.Mul(gE, p.Pe);
            n.Gi[i] = Rn.Mul(gI, p.Pi);
        }
    }

    /// <summary>Makes the listed neurons fire in the next update (a potential far above any threshold, not refractory), as CpuEngine.ForceSpike does.</summary>
    public static void Force(ArrayView<int> neurons, NeuronViews n)
    {
        for (var k = Grid.GlobalIndex.X; k < neurons.IntLength; k += Grid.DimX * Group.DimX)
        {
            var i = neurons[k];
            n.V[i] = 1e30f;
            n.RefUntil[i] = int.MinValue;
        }
    }

    /// <summary>Copies <paramref name="source"/> at the monitored neurons into row <paramref name="row"/> of a state trace.</summary>
    public static void Gather(ArrayView<int> neurons, ArrayView<float> source, ArrayView<float> trace, int row)
    {
        for (var k = Grid.GlobalIndex.X; k < neurons.IntLength; k += Grid.DimX * Group.DimX)
        {
            trace[row + k] = source[neurons[k]];
        }
    }
}
