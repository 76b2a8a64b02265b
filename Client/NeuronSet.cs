using System.Globalization;

namespace NeuroMesh.Client;

/// <summary>
/// A set of neuron ids as sorted, disjoint half-open ranges: what a spike subscription or an export keeps. Built from
/// ranges, from text such as <c>0-99,200,300-399</c> (inclusive ends), or from a region's members and populations.
/// </summary>
public sealed class NeuronSet
{
    private readonly (int Lo, int Hi)[] _ranges;

    private NeuronSet((int Lo, int Hi)[] ranges)
    {
        _ranges = ranges;
    }

    /// <summary>Every neuron.</summary>
    public static NeuronSet All { get; } = new([(0, int.MaxValue)]);

    /// <summary>The ranges, sorted and merged (<c>Lo</c> inclusive, <c>Hi</c> exclusive).</summary>
    public IReadOnlyList<(int Lo, int Hi)> Ranges => _ranges;

    /// <summary>The set of the given half-open ranges.</summary>
    /// <exception cref="ArgumentException">A range is empty or negative.</exception>
    public static NeuronSet Of(IEnumerable<(int Lo, int Hi)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var sorted = ranges.ToArray();
        foreach (var (lo, hi) in sorted)
        {
            if (lo < 0 || hi <= lo)
            {
                throw new ArgumentException($"Neuron range [{lo}, {hi}) is empty or negative.", nameof(ranges));
            }
        }

        Array.Sort(sorted);
        var merged = new List<(int Lo, int Hi)>();
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.Lo <= merged[^1].Hi)
            {
                merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, range.Hi));
            }
            else
            {
                merged.Add(range);
            }
        }

        return new NeuronSet([.. merged]);
    }

    /// <summary>Parses <c>a-b,c,...</c> (ids and inclusive ranges).</summary>
    /// <exception cref="FormatException">The text is not such a list; the message names the bad part.</exception>
    public static NeuronSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranges = new List<(int, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', 1);
            var (a, b) = dash < 0 ? (part, part) : (part[..dash], part[(dash + 1)..]);
            if (!int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var lo) || !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var hi) || hi < lo || hi == int.MaxValue)
            {
                throw new FormatException($"'{part}' in neuron list '{text}' is not a neuron id or an ascending range such as 0-99.");
            }

            ranges.Add((lo, hi + 1));
        }

        return ranges.Count == 0 ? throw new FormatException($"Neuron list '{text}' names no neuron.") : Of(ranges);
    }

    /// <summary>The neurons of a region: its stand-alone members and its populations.</summary>
    public static NeuronSet Of(Regions.RegionInfo region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var ranges = region.Members.Select(m => ((int)m, (int)m + 1))
            .Concat(region.Populations.Select(p => ((int)p.FirstNeuron, (int)p.FirstNeuron + p.Size)))
            .ToArray();
        return ranges.Length == 0 ? throw new ArgumentException($"Region '{region.Path}' has no neurons.", nameof(region)) : Of(ranges);
    }

    /// <summary>True when <paramref name="neuron"/> is in the set.</summary>
    public bool Contains(int neuron)
    {
        var (lo, hi) = (0, _ranges.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ranges[mid].Hi <= neuron)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < _ranges.Length && _ranges[lo].Lo <= neuron;
    }

    /// <summary>
    /// Appends to <paramref name="keptTicks"/> and <paramref name="keptNeurons"/> the spikes (pairs of
    /// <paramref name="ticks"/> and <paramref name="neurons"/> at the same index) whose neuron is in the set, in order.
    /// </summary>
    /// <exception cref="ArgumentException">The two spans differ in length.</exception>
    public void Filter(ReadOnlySpan<long> ticks, ReadOnlySpan<int> neurons, List<long> keptTicks, List<int> keptNeurons)
    {
        ArgumentNullException.ThrowIfNull(keptTicks);
        ArgumentNullException.ThrowIfNull(keptNeurons);
        if (ticks.Length != neurons.Length)
        {
            throw new ArgumentException($"{ticks.Length} tick(s) but {neurons.Length} neuron(s): spikes come in pairs.", nameof(neurons));
        }

        for (var i = 0; i < neurons.Length; i++)
        {
            if (Contains(neurons[i]))
            {
                keptTicks.Add(ticks[i]);
                keptNeurons.Add(neurons[i]);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => ReferenceEquals(this, All) ? "all" : string.Join(",", _ranges.Select(r => r.Hi - r.Lo == 1 ? $"{r.Lo}" : r.Hi == int.MaxValue ? $"{r.Lo}-" : $"{r.Lo}-{r.Hi - 1}"));
}
