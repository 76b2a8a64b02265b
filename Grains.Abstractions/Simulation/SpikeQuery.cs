namespace NeuroMesh.Simulation;

/// <summary>
/// Which recorded spikes of a run <see cref="ISimulationGrain.GetSpikes"/> returns: a tick range, a neuron range, and a
/// page (at most <see cref="Limit"/> spikes after the cursor <see cref="After"/>). Spikes come in (tick, neuron) order.
/// </summary>
[GenerateSerializer, Immutable, Alias("neuromesh.spike-query")]
public sealed record class SpikeQuery
{
    /// <summary>The most spikes one page may hold.</summary>
    public const int MaxLimit = 100_000;

    /// <summary>The first tick (inclusive, 0 or more).</summary>
    [Id(0)] public long FromTick { get; init; }

    /// <summary>One past the last tick; negative: to the end of what is recorded.</summary>
    [Id(1)] public long ToTick { get; init; } = -1;

    /// <summary>The first neuron (inclusive, 0 or more).</summary>
    [Id(2)] public int FirstNeuron { get; init; }

    /// <summary>One past the last neuron; negative: every neuron from <see cref="FirstNeuron"/> on.</summary>
    [Id(3)] public int EndNeuron { get; init; } = -1;

    /// <summary>The cursor: <see cref="SpikePage.Next"/> of the page before; negative for the first page.</summary>
    [Id(4)] public long After { get; init; } = -1;

    /// <summary>Spikes per page, 1 to <see cref="MaxLimit"/>.</summary>
    [Id(5)] public int Limit { get; init; } = 50_000;

    /// <summary>Null when the query is valid, otherwise why not (naming the field and the value).</summary>
    public string? Problem()
    {
        if (FromTick < 0)
        {
            return $"SpikeQuery.FromTick must be 0 or more (got {FromTick}).";
        }

        if (ToTick >= 0 && ToTick < FromTick)
        {
            return $"SpikeQuery.ToTick ({ToTick}) is before FromTick ({FromTick}).";
        }

        if (FirstNeuron < 0)
        {
            return $"SpikeQuery.FirstNeuron must be 0 or more (got {FirstNeuron}).";
        }

        if (EndNeuron >= 0 && EndNeuron < FirstNeuron)
        {
            return $"SpikeQuery.EndNeuron ({EndNeuron}) is before FirstNeuron ({FirstNeuron}).";
        }

        return Limit is < 1 or > MaxLimit ? $"SpikeQuery.Limit must be in [1, {MaxLimit}] (got {Limit})." : null;
    }
}
