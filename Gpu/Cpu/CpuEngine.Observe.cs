using NeuroMesh.Spikes;

namespace NeuroMesh.Engine.Cpu;

/// <summary>Hosted (behaviour-driven) neurons: observation of their deliveries, carried spikes, threshold crossings.</summary>
public sealed partial class CpuEngine
{
    private readonly Dictionary<int, Spike> _carriedNext = [];
    private bool[] _observed = [];
    private int _observedCount;
    private Dictionary<int, Spike> _carried = [];
    private long _carriedTick = -1;

    /// <inheritdoc />
    public void Observe(int neuron, bool observed = true)
    {
        CheckNeuron(neuron, nameof(neuron));
        if (_observed.Length == 0)
        {
            _observed = new bool[NeuronCount];
        }

        if (_observed[neuron] != observed)
        {
            _observed[neuron] = observed;
            _observedCount += observed ? 1 : -1;
        }
    }

    /// <inheritdoc />
    public void Fire(in Spike spike)
    {
        if (spike.Source >= (uint)NeuronCount)
        {
            _dropped++;
            return;
        }

        ForceSpike((int)spike.Source);
        _carriedNext[(int)spike.Source] = spike;
    }

    /// <inheritdoc />
    public int DrainObserved(List<ObservedDelivery> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var start = destination.Count;
        foreach (var w in _workers)
        {
            destination.AddRange(w.Observed);
            w.Observed.Clear();
        }

        // Ordered by every field a caller can see, so the sequence is the same for any thread count; sorted in place,
        // so a pass allocates nothing here.
        var added = destination.Count - start;
        if (added > 1)
        {
            destination.Sort(start, added, DeliveryOrder.Instance);
        }

        return added;
    }

    /// <inheritdoc />
    public int DrainThresholdCrossings(List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var start = destination.Count;
        foreach (var w in _workers)
        {
            destination.AddRange(w.Crossed);
            w.Crossed.Clear();
        }

        return destination.Count - start;
    }

    /// <summary>Moves the spikes passed to <see cref="Fire"/> into the set the coming run's first tick propagates.</summary>
    private void TakeCarried()
    {
        if (_carriedNext.Count == 0)
        {
            if (_carried.Count > 0)
            {
                _carried = [];
            }

            return;
        }

        _carried = new Dictionary<int, Spike>(_carriedNext);
        _carriedNext.Clear();
        _carriedTick = _tick;
    }

    private bool IsHosted(int neuron) => _observedCount > 0 && (uint)neuron < (uint)_observed.Length && _observed[neuron];

    private bool TryGetCarried(int neuron, int tick, out Spike spike)
    {
        spike = default;
        return tick == _carriedTick && _carried.TryGetValue(neuron, out spike);
    }

    /// <summary>Phase 1 hook: hosted neurons that crossed the threshold without a carried spike leave the fired list.</summary>
    private int SeparateCrossings(WorkerSlot me, int[] fired, int count, int t)
    {
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var j = fired[i];
            if (IsHosted(j) && !TryGetCarried(j, t, out _))
            {
                me.Crossed.Add(j);
                continue;
            }

            fired[kept++] = j;
        }

        return kept;
    }

    /// <summary>The spike a synapse of <paramref name="source"/> sees at tick <paramref name="t"/>.</summary>
    private Spike SpikeOf(int source, int target, int channel, int t, in Spike external, bool isExternal)
    {
        if (isExternal)
        {
            return external;
        }

        return TryGetCarried(source, t, out var carried) ? carried : Spike.Create((uint)source, (uint)target, (SpikeType)channel, (uint)t);
    }

    /// <summary>Records a delivery onto an observed neuron (called only when some neuron is observed).</summary>
    private void RecordObserved(int w, int source, int target, int channel, int t, int delay, int fixedWeight, in Spike external, bool isExternal)
    {
        if ((uint)target >= (uint)_observed.Length || !_observed[target])
        {
            return;
        }

        _workers[w].Observed.Add(new ObservedDelivery(SpikeOf(source, target, channel, t, in external, isExternal), target, t + delay, fixedWeight * (double)_state.Scale));
    }

    private sealed class DeliveryOrder : IComparer<ObservedDelivery>
    {
        public static readonly DeliveryOrder Instance = new();

        public int Compare(ObservedDelivery x, ObservedDelivery y)
        {
            var c = x.ArrivalTick.CompareTo(y.ArrivalTick);
            c = c != 0 ? c : x.Target.CompareTo(y.Target);
            c = c != 0 ? c : x.Spike.Source.CompareTo(y.Spike.Source);
            c = c != 0 ? c : x.Spike.Tick.CompareTo(y.Spike.Tick);
            c = c != 0 ? c : x.Spike.Sequence.CompareTo(y.Spike.Sequence);
            return c != 0 ? c : x.Weight.CompareTo(y.Weight);
        }
    }
}
