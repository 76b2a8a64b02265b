namespace NeuroMesh.Simulation;

/// <summary>
/// The spikes a run has fired, as sorted <c>(tick &lt;&lt; 32) | neuron</c> keys, kept by its simulation grain for
/// <see cref="ISimulationGrain.GetSpikes"/>. Windows arrive in tick order; a window that a replay feeds again is already
/// here (the engines are deterministic and the checkpoints prove it), so only its ticks past the recording are added.
/// </summary>
/// <param name="capacity">The most spikes kept; a window that would pass it is not kept, nor anything after it.</param>
internal sealed class SpikeRecording(int capacity)
{
    private readonly List<long> _keys = [];

    /// <summary>Ticks 0 .. ToTick - 1 are recorded.</summary>
    public long ToTick { get; private set; }

    /// <summary>True once a window did not fit under the capacity; nothing is recorded after <see cref="ToTick"/> then.</summary>
    public bool Capped { get; private set; }

    /// <summary>Spikes recorded.</summary>
    public int Count => _keys.Count;

    /// <summary>Adds the window of <paramref name="ticks"/> ticks from <paramref name="fromTick"/>, whose spikes are <paramref name="sortedKeys"/>.</summary>
    public void Append(long fromTick, long ticks, long[] sortedKeys)
    {
        var end = fromTick + ticks;
        if (Capped || end <= ToTick || fromTick > ToTick)
        {
            return; // already recorded, or (after a gap that cannot happen in tick order) not contiguous
        }

        var start = fromTick == ToTick ? 0 : LowerBound(sortedKeys, ToTick << 32);
        if (_keys.Count + (sortedKeys.Length - start) > capacity)
        {
            Capped = true;
            return;
        }

        _keys.AddRange(new ArraySegment<long>(sortedKeys, start, sortedKeys.Length - start));
        ToTick = end;
    }

    /// <summary>Up to <paramref name="limit"/> spikes of ticks [from, to) and neurons [lo, hi) after the key <paramref name="after"/>, and the next cursor.</summary>
    public (long[] Ticks, int[] Neurons, long Next) Read(long from, long to, int lo, int hi, long after, int limit)
    {
        var ticks = new List<long>();
        var neurons = new List<int>();
        var first = Math.Max(from << 32, after < 0 ? long.MinValue : after + 1);
        var end = Math.Min(to, ToTick);
        for (var i = LowerBound(_keys, first); i < _keys.Count; i++)
        {
            var key = _keys[i];
            var tick = key >> 32;
            if (tick >= end)
            {
                break;
            }

            var neuron = (int)(key & 0xFFFFFFFF);
            if (neuron < lo || neuron >= hi)
            {
                continue;
            }

            if (ticks.Count == limit)
            {
                return ([.. ticks], [.. neurons], (ticks[^1] << 32) | (uint)neurons[^1]);
            }

            ticks.Add(tick);
            neurons.Add(neuron);
        }

        return ([.. ticks], [.. neurons], -1);
    }

    // The first key not below value; keys are unique (a neuron fires at most once a tick), so a hit is that key's own index.
    private static int LowerBound(long[] keys, long value) => Index(Array.BinarySearch(keys, value));

    private static int LowerBound(List<long> keys, long value) => Index(keys.BinarySearch(value));

    private static int Index(int i) => i < 0 ? ~i : i;
}
