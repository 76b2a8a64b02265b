using NeuroMesh.Network;

namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// The spec's stimuli, applied by each worker to its own neurons at the start of a tick. Poisson counts are drawn
/// per (seed, neuron, tick, stimulus) from the counter-based generator; spike-time events are sorted by tick.
/// </summary>
internal sealed class StimulusPlan
{
    private readonly PoissonSource[] _poisson;
    private readonly TimedInput[] _events;
    private readonly int[] _cursor;
    private readonly ulong _seed;

    public StimulusPlan(NetworkSpec spec, ulong seed, int workers, NeuronArrays s)
    {
        _seed = seed;
        var offsets = spec.PopulationOffsets();
        var poisson = new List<PoissonSource>();
        var events = new List<TimedInput>();
        for (var k = 0; k < spec.Stimuli.Count; k++)
        {
            var st = spec.Stimuli[k];
            var pop = spec.IndexOfPopulation(st.Target);
            var first = offsets[pop];
            var channel = (byte)SynapseChannels.All.ToList().IndexOf(st.Channel);
            var weight = s.Fixed(st.Weight);
            if (st.Kind == StimulusKinds.Poisson)
            {
                var neurons = (st.Neurons ?? Enumerable.Range(0, spec.Populations[pop].Size).ToArray()).Select(i => first + i).Order().ToArray();
                var lambda = st.Rate * st.Count * spec.Dt / 1000.0;
                poisson.Add(new PoissonSource(neurons, lambda, Math.Exp(-lambda), MaxEvents(lambda), weight, channel,
                    (int)Math.Round(st.Start / spec.Dt), (int)Math.Min(int.MaxValue, Math.Round((st.Stop ?? double.MaxValue / 2) / spec.Dt)), CounterRng.StreamPoisson + (ulong)k));
            }
            else
            {
                events.AddRange((st.Spikes ?? []).Select(e => new TimedInput((int)Math.Round(e.Time / spec.Dt), first + e.Neuron, weight, channel)));
            }
        }

        _poisson = [.. poisson];
        _events = [.. events.OrderBy(e => e.Tick).ThenBy(e => e.Neuron)];
        _cursor = new int[workers];
    }

    /// <summary>The most fixed-point input any stimulus can add to neuron <paramref name="i"/> in one tick (for overflow bounds).</summary>
    public static double Bound(NetworkSpec spec, double[] bound)
    {
        var offsets = spec.PopulationOffsets();
        foreach (var st in spec.Stimuli)
        {
            var first = offsets[spec.IndexOfPopulation(st.Target)];
            var size = spec.Populations[spec.IndexOfPopulation(st.Target)].Size;
            var per = Math.Abs(st.Weight) * (st.Kind == StimulusKinds.Poisson ? MaxEvents(st.Rate * st.Count * spec.Dt / 1000.0) : 1);
            if (st.Kind == StimulusKinds.Poisson)
            {
                foreach (var i in st.Neurons ?? Enumerable.Range(0, size).ToArray())
                {
                    bound[first + i] += per;
                }
            }
            else
            {
                foreach (var e in st.Spikes ?? [])
                {
                    bound[first + e.Neuron] += per;
                }
            }
        }

        return bound.Length == 0 ? 0 : bound.Max();
    }

    /// <summary>The Poisson stimuli (neurons sorted ascending).</summary>
    public IReadOnlyList<PoissonSource> Poisson => _poisson;

    /// <summary>The spike-time inputs, sorted by tick then neuron.</summary>
    public IReadOnlyList<TimedInput> Events => _events;

    public void Apply(int worker, int lo, int hi, int tick, int slot, NeuronArrays s)
    {
        foreach (var p in _poisson)
        {
            if (tick < p.StartTick || tick >= p.StopTick)
            {
                continue;
            }

            var acc = s.Acc[p.Channel];
            var n = p.Neurons;
            for (var k = LowerBound(n, lo); k < n.Length && n[k] < hi; k++)
            {
                var events = Draw(p, CounterRng.Uniform(_seed, p.Stream, (ulong)n[k], (ulong)tick));
                if (events > 0)
                {
                    acc[slot + n[k]] += events * p.Weight;
                }
            }
        }

        ref var c = ref _cursor[worker];
        if (c > 0 && c <= _events.Length && _events[c - 1].Tick >= tick)
        {
            c = 0; // a new run started earlier than the cursor (never in a forward run, kept for safety)
        }

        while (c < _events.Length && _events[c].Tick < tick)
        {
            c++;
        }

        for (var k = c; k < _events.Length && _events[k].Tick == tick; k++)
        {
            var e = _events[k];
            if (e.Neuron >= lo && e.Neuron < hi)
            {
                s.Acc[e.Channel][slot + e.Neuron] += e.Weight;
            }
        }
    }

    private static int MaxEvents(double lambda) => (int)Math.Ceiling(lambda + (10 * Math.Sqrt(lambda)) + 10);

    /// <summary>Poisson inversion: the smallest k with CDF(k) ≥ u, capped at the bound used for overflow safety.</summary>
    private static int Draw(in PoissonSource p, double u)
    {
        var prob = p.ExpMinusLambda;
        var cdf = prob;
        var k = 0;
        while (u > cdf && k < p.MaxEvents)
        {
            k++;
            prob *= p.Lambda / k;
            cdf += prob;
        }

        return k;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        var i = Array.BinarySearch(sorted, value);
        return i >= 0 ? i : ~i;
    }

    internal readonly record struct PoissonSource(int[] Neurons, double Lambda, double ExpMinusLambda, int MaxEvents, int Weight, byte Channel, int StartTick, int StopTick, ulong Stream);

    internal readonly record struct TimedInput(int Tick, int Neuron, int Weight, byte Channel);
}
