using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>A Poisson stimulus as a kernel argument (see <see cref="Cpu.StimulusPlan"/>).</summary>
internal readonly struct PoissonParams(double lambda, double expMinusLambda, int maxEvents, int weight, ulong stream, ulong seed)
{
    public readonly double Lambda = lambda;
    public readonly double ExpMinusLambda = expMinusLambda;
    public readonly int MaxEvents = maxEvents;
    public readonly int Weight = weight;
    public readonly ulong Stream = stream;
    public readonly ulong Seed = seed;
}

/// <summary>An input added to one ring cell: spike-time stimuli (device-resident) and host injections.</summary>
internal readonly struct CellInput(int cell, long amount)
{
    public readonly int Cell = cell;
    public readonly long Amount = amount;
}

/// <summary>Inputs that enter the rings at the start of a tick: Poisson drive, spike-time stimuli and host injections.</summary>
internal static class StimulusKernels
{
    /// <summary>
    /// Poisson drive of neuron neurons[k] at <paramref name="tick"/>: the event count is the CDF inversion of the same
    /// counter-based uniform draw CpuEngine makes, with the same double arithmetic, then added atomically
    /// (several stimuli may target one neuron).
    /// </summary>
    public static void Poisson(PoissonParams p, ArrayView<int> neurons, ArrayView<int> acc, int slot, int tick)
    {
        for (var k = Grid.GlobalIndex.X; k < neurons.IntLength; k += Grid.DimX * Group.DimX)
        {
            PoissonOne(p, neurons[k], acc, slot, tick);
        }
    }

    private static void PoissonOne(PoissonParams p, int neuron, ArrayView<int> acc, int slot, int tick)
    {
        var u = DeviceRng.Uniform(p.Seed, p.Stream, (ulong)neuron, (ulong)tick);
        var prob = p.ExpMinusLambda;
        var cdf = prob;
        var events = 0;
        while (u > cdf && events < p.MaxEvents)
        {
            events++;
            prob = Rn.Mul(prob, p.Lambda / events);
            cdf = Rn.Add(cdf, prob);
        }

        if (events > 0)
        {
            Atomic.Add(ref acc[slot + neuron], events * p.Weight);
        }
    }

    /// <summary>Spike-time stimuli: Acc[base + cell] += amount (cells are relative to the tick's slot, channel included).</summary>
    public static void Timed(ArrayView<CellInput> inputs, ArrayView<int> acc, int slot)
    {
        for (var k = Grid.GlobalIndex.X; k < inputs.IntLength; k += Grid.DimX * Group.DimX)
        {
            Atomic.Add(ref acc[slot + inputs[k].Cell], (int)inputs[k].Amount);
        }
    }

    /// <summary>
    /// One thread applies the host's injections in call order with the same saturation as CpuEngine.Inject
    /// (a clipped sum is counted in Counters[0]). Cells are absolute ring indices.
    /// </summary>
    public static void Inject(Index1D unused, ArrayView<CellInput> inputs, ArrayView<int> acc, ArrayView<long> counters)
    {
        for (var k = 0; k < inputs.IntLength; k++)
        {
            var sum = acc[inputs[k].Cell] + inputs[k].Amount;
            if (sum > int.MaxValue || sum < int.MinValue)
            {
                counters[0] += 1;
                sum = sum > int.MaxValue ? int.MaxValue : int.MinValue;
            }

            acc[inputs[k].Cell] = (int)sum;
        }
    }
}
