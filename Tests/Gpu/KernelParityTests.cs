using ILGPU;
using ILGPU.Runtime;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Ilgpu;
using NeuroMesh.Engine.Kernels;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Gpu;

/// <summary>Each kernel on its own, against the CPU code it replaces, written once for every accelerator.</summary>
public abstract class KernelParityTests<TContext>
    where TContext : AcceleratorContext, new()
{
    private readonly TContext _context = new();

    private DeviceHost Host()
    {
        _context.SkipIfAbsent();
        return DeviceHost.Get(_context.Device);
    }

    [SkippableTheory]
    [InlineData(NeuronModels.LifCuba)]
    [InlineData(NeuronModels.LifDelta)]
    [InlineData(NeuronModels.LifCoba)]
    public void Lif_update_equals_the_cpu_kernel(string model)
    {
        var host = Host();
        const int n = 301; // odd: the CPU kernel runs both its SIMD body and its scalar tail
        var pop = new PopulationSpec
        {
            Name = "P", Size = n, Model = model,
            Params = new NeuronParamsSpec { TauM = 20, VRest = -49, VThreshold = -50, VReset = -60, Refractory = 5, TauE = 5, TauI = 10 },
        };
        var kernel = new PopulationKernel(pop, 0, 0.1);
        var s = new NeuronArrays(n, 4, 16);
        var rng = new Random(5);
        for (var i = 0; i < n; i++)
        {
            s.V[i] = -60 + (10.5f * (float)rng.NextDouble());
            s.Ge[i] = (float)rng.NextDouble();
            s.Gi[i] = -(float)rng.NextDouble();
            s.RefUntil[i] = rng.Next(3) == 0 ? 12 : 0;
            s.Acc[0][s.Stride + i] = rng.Next(1 << 18);
            s.Acc[1][s.Stride + i] = -rng.Next(1 << 18);
        }

        var acc = s.Acc[0].Concat(s.Acc[1]).Concat(s.Acc[2]).ToArray();
        var v0 = (float[])s.V.Clone();
        var ge0 = (float[])s.Ge.Clone();
        var gi0 = (float[])s.Gi.Clone();
        var ru0 = (int[])s.RefUntil.Clone();
        var fired = new int[n];
        var count = kernel.Update(s, 0, n, 10, s.Stride, fired, 0);

        lock (host.Gate)
        {
            var a = host.Accelerator;
            using var v = a.Allocate1D(v0);
            using var ge = a.Allocate1D(ge0);
            using var gi = a.Allocate1D(gi0);
            using var ru = a.Allocate1D(ru0);
            using var popOf = a.Allocate1D(new byte[n]);
            using var flags = a.Allocate1D<int>(n);
            using var ring = a.Allocate1D(acc);
            using var pops = a.Allocate1D(new[] { new LifParams(kernel) });
            var views = new NeuronViews { V = v.View, Ge = ge.View, Gi = gi.View, RefUntil = ru.View, Population = popOf.View, Fired = flags.View };
            var rv = new RingViews { Acc = ring.View, Slots = 4, Stride = s.Stride, ChannelSize = 4 * s.Stride };
            var k = host.Kernels;
            var stream = a.DefaultStream;
            switch (model)
            {
                case NeuronModels.LifCuba:
                    k.Cuba(stream, k.For(n), default, views, rv, pops.View, 10, s.Stride, s.Scale, 0, n);
                    break;
                case NeuronModels.LifDelta:
                    k.Delta(stream, k.For(n), default, views, rv, pops.View, 10, s.Stride, s.Scale, 0, n);
                    break;
                default:
                    k.Coba(stream, k.For(n), default, views, rv, pops.View, 10, s.Stride, s.Scale, 0, n);
                    break;
            }

            stream.Synchronize();
            var deviceFired = flags.GetAsArray1D();
            Assert.Equal(fired.Take(count), Enumerable.Range(0, n).Where(i => deviceFired[i] != 0));
            Assert.True(count > 0 && count < n, $"the case must have firing and silent neurons ({count} of {n} fired)");
            Assert.Equal(s.RefUntil, ru.GetAsArray1D());
            Assert.All(ring.GetAsArray1D().Skip(s.Stride).Take(n), x => Assert.Equal(0, x));
            if (model == NeuronModels.LifCoba)
            {
                // XMath.Exp is not CpuEngine's SIMD exponential (they differ by up to ~2e-3 mV here): close, not bit for bit.
                var dv = v.GetAsArray1D();
                for (var i = 0; i < n; i++)
                {
                    Assert.True(Math.Abs(s.V[i] - dv[i]) <= 1e-2f, $"neuron {i}: {s.V[i]} vs {dv[i]}");
                }
            }
            else
            {
                Assert.Equal(s.V, v.GetAsArray1D());
            }

            Assert.Equal(s.Ge, ge.GetAsArray1D());
            Assert.Equal(s.Gi, gi.GetAsArray1D());
        }
    }

    [SkippableFact]
    public void Poisson_kernel_draws_what_the_cpu_stimulus_plan_draws()
    {
        var host = Host();
        var spec = new NetworkSpec
        {
            Dt = 0.1, Duration = 10, Seed = 42,
            Populations = [new PopulationSpec { Name = "N", Size = 500, Model = NeuronModels.LifDelta, Params = Engine.Specs.Quiet() }],
            Stimuli =
            [
                new StimulusSpec { Name = "a", Kind = StimulusKinds.Poisson, Target = "N", Rate = 20, Count = 300, Weight = 0.2 },
                new StimulusSpec { Name = "b", Kind = StimulusKinds.Poisson, Target = "N", Rate = 900, Weight = -0.5, Channel = SynapseChannels.Inhibitory, Neurons = [3, 7, 400] },
                new StimulusSpec { Name = "later", Kind = StimulusKinds.Poisson, Target = "N", Rate = 5000, Weight = 1, Start = 5 }, // not yet at tick 17
            ],
        };
        var s = new NeuronArrays(500, 2, 16);
        var plan = new StimulusPlan(spec, 42, 1, s);
        plan.Apply(0, 0, 500, 17, s.Stride, s);
        Assert.Contains(s.Acc[0], x => x > 0);

        lock (host.Gate)
        {
            var a = host.Accelerator;
            using var ring = a.Allocate1D<int>(3 * 2 * s.Stride);
            ring.MemSetToZero();
            var (sources, targets, owner) = PoissonParams.Batch(plan.Poisson, 42);
            Assert.Equal(1003, targets.Length); // every stimulus in one launch; the kernel leaves out those not active at the tick
            using var sourceBuffer = a.Allocate1D(sources);
            using var neurons = a.Allocate1D(targets);
            using var owners = a.Allocate1D(owner);
            host.Kernels.Poisson(a.DefaultStream, host.Kernels.For(targets.Length), sourceBuffer.View, neurons.View, owners.View, ring.View, s.Stride, 2 * s.Stride, 17);

            a.Synchronize();
            var device = ring.GetAsArray1D();
            Assert.Equal(s.Acc[0], device.AsSpan(0, 2 * s.Stride).ToArray());
            Assert.Equal(s.Acc[1], device.AsSpan(2 * s.Stride, 2 * s.Stride).ToArray());
        }
    }

    [SkippableFact]
    public void Compaction_lists_firing_neurons_in_ascending_order_after_the_window_cursor()
    {
        var host = Host();
        const int n = 5000;
        var rng = new Random(9);
        var flags = Enumerable.Range(0, n).Select(_ => rng.Next(7) == 0 ? 1 : 0).ToArray();
        lock (host.Gate)
        {
            var a = host.Accelerator;
            using var fired = a.Allocate1D(flags);
            using var position = a.Allocate1D<int>(n);
            using var temp = a.Allocate1D<int>(Math.Max(1, ILGPU.Algorithms.ScanExtensions.ComputeScanTempStorageSize<int>(a, n)));
            using var spikes = a.Allocate1D<int>(2 * n);
            // Tick 2 of a window whose tick 1 left 3 spikes at offset 10: tick 2's spikes start at 13.
            using var meta = a.Allocate1D(new[] { 0, 0, 0, 0, 0, 10, 0, 10, 3, 0, 0, 0, 0, 0, 0 });
            using var counts = a.Allocate1D<int>(4);
            var w = new SpikeWindowViews { Spikes = spikes.View, Meta = meta.View, TickCounts = counts.View };
            var k = host.Kernels;
            k.Scan(a.DefaultStream, fired.View, position.View, temp.View);
            k.Compact(a.DefaultStream, k.For(n), fired.View, position.View, w, 2, n);
            a.Synchronize();
            var expected = Enumerable.Range(0, n).Where(i => flags[i] != 0).ToArray();
            Assert.Equal(expected, spikes.GetAsArray1D().AsSpan(13, expected.Length).ToArray());
            Assert.Equal([0, 0, 0, 0, 0, 10, 0, 10, 3, 0, 13, expected.Length, 0, 0, 0], meta.GetAsArray1D());
            Assert.Equal(expected.Length, counts.GetAsArray1D()[2]);
            var tick2 = new int[3];
            w.Tick(2).Meta.CopyToCPU(a.DefaultStream, tick2.AsSpan());
            Assert.Equal([0, 13, expected.Length], tick2); // what propagation reads for tick 2
        }
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(int.MaxValue)]
    public void Ten_thousand_sources_onto_one_target_sum_exactly_in_both_parallelisations(int presynapticMinSpikes)
    {
        var host = Host();
        const int sources = 10_000;
        const int target = sources;
        const int stride = sources + 2;
        var rowStart = Enumerable.Range(0, sources + 2).Select(j => Math.Min(j, sources)).ToArray();
        var targets = Enumerable.Repeat(target, sources).ToArray();
        var weights = Enumerable.Range(0, sources).Select(j => (j % 5) - 1 + 3000).ToArray();
        var delayChannel = Enumerable.Range(0, sources).Select(j => ((j % 3) << 2) | (j % 2)).ToArray();
        lock (host.Gate)
        {
            var a = host.Accelerator;
            using var rs = a.Allocate1D(rowStart);
            using var tg = a.Allocate1D(targets);
            using var wt = a.Allocate1D(weights);
            using var dc = a.Allocate1D(delayChannel);
            using var ring = a.Allocate1D<int>(3 * 4 * stride);
            ring.MemSetToZero();
            using var spikes = a.Allocate1D(Enumerable.Range(0, sources).ToArray());
            using var meta = a.Allocate1D(new[] { sources, 0, sources });
            using var counts = a.Allocate1D<int>(1);
            var w = new SpikeWindowViews { Spikes = spikes.View, Meta = meta.View, TickCounts = counts.View };
            var csr = new CsrViews { RowStart = rs.View, Target = tg.View, Weight = wt.View, DelayChannel = dc.View };
            var rv = new RingViews { Acc = ring.View, Slots = 4, Stride = stride, ChannelSize = 4 * stride };
            host.Kernels.Propagate(a.DefaultStream, host.Kernels.For(sources), default, w, csr, rv, 5, presynapticMinSpikes);
            a.Synchronize();
            var acc = ring.GetAsArray1D();
            for (var channel = 0; channel < 2; channel++)
            {
                for (var delay = 0; delay < 3; delay++)
                {
                    var expected = Enumerable.Range(0, sources).Where(j => j % 3 == delay && j % 2 == channel).Sum(j => weights[j]);
                    Assert.Equal(expected, acc[rv.Offset(channel, 5 + delay) + target]);
                }
            }

            Assert.Equal(weights.Sum(), acc.Sum());
        }
    }

    [SkippableFact]
    public void Device_generator_equals_CounterRng()
    {
        var host = Host();
        lock (host.Gate)
        {
            var a = host.Accelerator;
            using var output = a.Allocate1D<ulong>(1000);
            var kernel = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<ulong>>(HashKernel);
            kernel(1000, output.View);
            a.Synchronize();
            var expected = Enumerable.Range(0, 1000).Select(i => CounterRng.Hash(77, CounterRng.StreamPoisson, (ulong)i, (ulong)(i * 31))).ToArray();
            Assert.Equal(expected, output.GetAsArray1D());
        }
    }

    private static void HashKernel(Index1D i, ArrayView<ulong> output)
        => output[i] = DeviceRng.Hash(77, CounterRng.StreamPoisson, (ulong)(int)i, (ulong)(i * 31));
}

[Collection(AcceleratorCollection.Name)]
public sealed class KernelParityTestsOnCpuEmulator : KernelParityTests<CpuEmulatorContext>;

[Collection(AcceleratorCollection.Name)]
public sealed class KernelParityTestsOnCuda : KernelParityTests<CudaContext>;
