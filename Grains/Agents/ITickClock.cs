namespace NeuroMesh.Agents;

/// <summary>
/// Where a neuron reads the time: the current tick (which drives refractory periods) and a timestamp for the spikes it
/// stamps. The mesh or the Cortex loop supplies it; tests supply a <see cref="ManualTickClock"/>.
/// </summary>
public interface ITickClock
{
    /// <summary>The current tick: the simulation step in lockstep mode, the pass count in free-running mode.</summary>
    uint Tick { get; }

    /// <summary>A monotone timestamp in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    long Timestamp { get; }
}
