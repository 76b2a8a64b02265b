namespace NeuroMesh.Simulation;

/// <summary>One page of a run's recorded spikes, in (tick, neuron) order: spike i fired at <c>Ticks[i]</c> from <c>Neurons[i]</c>.</summary>
[GenerateSerializer, Immutable, Alias("neuromesh.spike-page")]
public sealed record class SpikePage
{
    /// <summary>The run.</summary>
    [Id(0)] public required string RunId { get; init; }

    /// <summary>Each spike's tick.</summary>
    [Id(1)] public long[] Ticks { get; init; } = [];

    /// <summary>Each spike's neuron (global id).</summary>
    [Id(2)] public int[] Neurons { get; init; } = [];

    /// <summary>The cursor for the next page (<see cref="SpikeQuery.After"/>), or -1 when this page ends the query's range.</summary>
    [Id(3)] public long Next { get; init; } = -1;

    /// <summary>Ticks 0 .. RecordedToTick - 1 are recorded; a query's range is cut there.</summary>
    [Id(4)] public long RecordedToTick { get; init; }

    /// <summary>
    /// True when the run went past <see cref="RecordedToTick"/> but the silo stopped recording there, because the recording
    /// reached its cap (<see cref="ISimulationGrain.GetSpikes"/>); the spikes after it are counted in the run's status and
    /// hash but cannot be read back.
    /// </summary>
    [Id(5)] public bool Truncated { get; init; }

    /// <summary>The run's time step in ms (tick t is at t × DtMs).</summary>
    [Id(6)] public double DtMs { get; init; }

    /// <summary>The run's tick when the page was read.</summary>
    [Id(7)] public long RunTick { get; init; }
}
