using ILGPU;

namespace NeuroMesh.Engine.Kernels;

/// <summary>A Poisson stimulus on the device (see <see cref="Cpu.StimulusPlan"/>): its draw, its channel and its ticks [Start, Stop).</summary>
internal readonly struct PoissonParams(Cpu.StimulusPlan.PoissonSource p, ulong seed)
{
    public readonly double Lambda = p.Lambda;
    public readonly double ExpMinusLambda = p.ExpMinusLambda;
    public readonly int MaxEvents = p.MaxEvents;
    public readonly int Weight = p.Weight;
    public readonly ulong Stream = p.Stream;
    public readonly ulong Seed = seed;
    public readonly int Channel = p.Channel;
    public readonly int Start = p.StartTick;
    public readonly int Stop = p.StopTick;

    /// <summary>
    /// Every Poisson stimulus of a plan as one launch's arguments: the sources, the flat list of their target neurons and,
    /// per entry, the source it belongs to.
    /// </summary>
    public static (PoissonParams[] Sources, int[] Neurons, int[] Owner) Batch(IReadOnlyList<Cpu.StimulusPlan.PoissonSource> sources, ulong seed)
    {
        var neurons = new List<int>();
        var owner = new List<int>();
        for (var s = 0; s < sources.Count; s++)
        {
            neurons.AddRange(sources[s].Neurons);
            owner.AddRange(Enumerable.Repeat(s, sources[s].Neurons.Length));
        }

        return ([.. sources.Select(p => new PoissonParams(p, seed))], [.. neurons], [.. owner]);
    }
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
    /// The Poisson drive of every stimulus at <paramref name="tick"/> in one launch (see <see cref="PoissonParams.Batch"/>):
    /// entry k is neuron neurons[k] of source owner[k], active in its [Start, Stop). The event count is the CDF inversion
    /// of the same counter-based uniform draw CpuEngine makes, with the same double arithmetic, then added atomically
    /// (several stimuli may target one neuron).
    /// </summary>
    public static void Poisson(ArrayView<PoissonParams> sources, ArrayView<int> neurons, ArrayView<int> owner, ArrayView<int> acc, int slot, int channelSize, int tick)
    {
        for (var k = Grid.GlobalIndex.X; k < neurons.IntLength; k += Grid.DimX * Group.DimX)
        {
            var p = sources[owner[k]];
            if (tick >= p.Start && tick < p.Stop)
            {
                PoissonOne(p, neurons[k], acc, (p.Channel * channelSize) + slot, tick);
            }
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
