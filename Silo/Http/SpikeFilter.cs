using NeuroMesh.Network;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Which spikes of a run a tap passes: neurons in [<see cref="From"/>, <see cref="To"/>) and, when populations are named,
/// in one of their ranges; and how many per second at most (the rest are sampled away, evenly over the batch, and counted).
/// </summary>
internal sealed record SpikeFilter(int From, int To, IReadOnlyList<(int First, int End)>? Ranges, int MaxPerSecond)
{
    /// <summary>Parses <c>population</c> (comma-separated names), <c>from</c>, <c>to</c> and <c>maxRate</c>, naming the field on error.</summary>
    public static (SpikeFilter? Filter, (string Field, string Message)? Problem) Parse(
        string? population, string? from, string? to, string? maxRate, IReadOnlyList<PopulationRange> populations, int limit)
    {
        if (!TryInt(from, 0, out var first) || first < 0)
        {
            return (null, ("from", $"must be a neuron id, 0 or more (got '{from}')"));
        }

        if (!TryInt(to, int.MaxValue, out var end) || end <= first)
        {
            return (null, ("to", $"must be a neuron id above 'from' (got '{to}')"));
        }

        if (!TryInt(maxRate, limit, out var rate) || rate < 1)
        {
            return (null, ("maxRate", $"must be a positive number of spikes per second (got '{maxRate}')"));
        }

        List<(int, int)>? ranges = null;
        if (!string.IsNullOrWhiteSpace(population))
        {
            ranges = [];
            foreach (var name in population.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var found = populations.FirstOrDefault(p => p.Name == name);
                if (found is null)
                {
                    return (null, ("population", $"the run has no population '{name}'; it has: {string.Join(", ", populations.Select(p => p.Name))}"));
                }

                ranges.Add((found.First, found.First + found.Size));
            }
        }

        return (new SpikeFilter(first, end, ranges, Math.Min(rate, limit)), null);
    }

    /// <summary>Whether <paramref name="neuron"/> passes.</summary>
    public bool Passes(int neuron)
    {
        if (neuron < From || neuron >= To)
        {
            return false;
        }

        if (Ranges is null)
        {
            return true;
        }

        foreach (var (first, end) in Ranges)
        {
            if (neuron >= first && neuron < end)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryInt(string? text, int fallback, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>A population of a run's spec and its neuron ids [First, First + Size).</summary>
internal sealed record PopulationRange(string Name, int First, int Size)
{
    /// <summary>The populations of <paramref name="spec"/>, in order.</summary>
    public static IReadOnlyList<PopulationRange> Of(NetworkSpec spec)
    {
        var offsets = spec.PopulationOffsets();
        return [.. spec.Populations.Select((p, i) => new PopulationRange(p.Name, offsets[i], p.Size))];
    }
}
