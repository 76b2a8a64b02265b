using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;
using NeuroMesh.Engine.Kernels;

namespace NeuroMesh.Engine.Ilgpu;

/// <summary>Every kernel of the engine, compiled and loaded once per accelerator; engines on that accelerator share the delegates.</summary>
internal sealed class KernelSet
{
    public KernelSet(Accelerator a)
    {
        var group = Math.Min(a.WarpSize * 4, a.MaxNumThreadsPerGroup);
        GroupSize = group;

        // The CPU emulator pays per simulated group (its lanes meet at a barrier), so it runs one group that strides.
        MaxGroups = a.AcceleratorType == AcceleratorType.CPU ? 1 : Math.Max(1, a.NumMultiprocessors * Math.Max(1, a.MaxNumThreadsPerMultiprocessor / group));
        Cuba = a.LoadKernel<CubaModel, NeuronViews, RingViews, ArrayView<LifParams>, int, int, float, int, int>(NeuronKernels.Update);
        Delta = a.LoadKernel<DeltaModel, NeuronViews, RingViews, ArrayView<LifParams>, int, int, float, int, int>(NeuronKernels.Update);
        Coba = a.LoadKernel<CobaModel, NeuronViews, RingViews, ArrayView<LifParams>, int, int, float, int, int>(NeuronKernels.Update);
        Force = a.LoadKernel<ArrayView<int>, NeuronViews>(NeuronKernels.Force);
        Gather = a.LoadKernel<ArrayView<int>, ArrayView<float>, ArrayView<float>, int>(NeuronKernels.Gather);
        Scan = a.CreateScan<int, Stride1D.Dense, Stride1D.Dense, AddInt32>(ScanKind.Exclusive);
        Compact = a.LoadKernel<ArrayView<int>, ArrayView<int>, SpikeWindowViews, int, int>(SpikeKernels.Compact);
        ResetWindow = a.LoadAutoGroupedKernel<Index1D, SpikeWindowViews>(SpikeKernels.ResetWindow);
        Propagate = a.LoadKernel<StaticDelivery, SpikeWindowViews, CsrViews, RingViews, int, int>(SynapseKernels.Propagate);
        PropagatePlastic = a.LoadKernel<PlasticDelivery, SpikeWindowViews, CsrViews, RingViews, int, int>(SynapseKernels.Propagate);
        Modulate = a.LoadKernel<ArrayView<int>, PlasticViews, int, int, float, int, int>(PlasticityKernels.Modulate);
        BumpPre = a.LoadKernel<SpikeWindowViews, PlasticViews, int>(PlasticityKernels.BumpPre);
        Post = a.LoadKernel<ArrayView<int>, PlasticViews, int, int, int, int>(PlasticityKernels.Post);
        PostRemote = a.LoadKernel<SpikeWindowViews, PlasticViews, int, int, int>(PlasticityKernels.PostRemote);
        Poisson = a.LoadKernel<ArrayView<PoissonParams>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int>(StimulusKernels.Poisson);
        Timed = a.LoadKernel<ArrayView<CellInput>, ArrayView<int>, int>(StimulusKernels.Timed);
        Inject = a.LoadAutoGroupedKernel<Index1D, ArrayView<CellInput>, ArrayView<int>, ArrayView<long>>(StimulusKernels.Inject);
    }

    public int GroupSize { get; }

    public int MaxGroups { get; }

    /// <summary>The grid for a grid-stride kernel over <paramref name="items"/> items.</summary>
    public KernelConfig For(long items) => new((int)Math.Clamp((items + GroupSize - 1) / GroupSize, 1, MaxGroups), GroupSize);

    public Action<AcceleratorStream, KernelConfig, CubaModel, NeuronViews, RingViews, ArrayView<LifParams>, int, int, float, int, int> Cuba { get; }

    public Action<AcceleratorStream, KernelConfig, DeltaModel, NeuronViews, RingViews, ArrayView<LifParams>, int, int, float, int, int> Delta { get; }

    public Action<AcceleratorStream, KernelConfig, CobaModel, NeuronViews, RingViews, ArrayView<LifParams>, int, int, float, int, int> Coba { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<int>, NeuronViews> Force { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<int>, ArrayView<float>, ArrayView<float>, int> Gather { get; }

    public Scan<int, Stride1D.Dense, Stride1D.Dense> Scan { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<int>, ArrayView<int>, SpikeWindowViews, int, int> Compact { get; }

    public Action<AcceleratorStream, Index1D, SpikeWindowViews> ResetWindow { get; }

    public Action<AcceleratorStream, KernelConfig, StaticDelivery, SpikeWindowViews, CsrViews, RingViews, int, int> Propagate { get; }

    public Action<AcceleratorStream, KernelConfig, PlasticDelivery, SpikeWindowViews, CsrViews, RingViews, int, int> PropagatePlastic { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<int>, PlasticViews, int, int, float, int, int> Modulate { get; }

    public Action<AcceleratorStream, KernelConfig, SpikeWindowViews, PlasticViews, int> BumpPre { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<int>, PlasticViews, int, int, int, int> Post { get; }

    public Action<AcceleratorStream, KernelConfig, SpikeWindowViews, PlasticViews, int, int, int> PostRemote { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<PoissonParams>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int> Poisson { get; }

    public Action<AcceleratorStream, KernelConfig, ArrayView<CellInput>, ArrayView<int>, int> Timed { get; }

    public Action<AcceleratorStream, Index1D, ArrayView<CellInput>, ArrayView<int>, ArrayView<long>> Inject { get; }
}
