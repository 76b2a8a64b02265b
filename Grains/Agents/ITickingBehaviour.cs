namespace NeuroMesh.Agents;

/// <summary>
/// A behaviour that also wants a call every tick (timers, polling, periodic output). Only behaviours that implement
/// this interface are called per tick, so idle agents cost nothing.
/// </summary>
public interface ITickingBehaviour : INeuronBehaviour
{
    /// <summary>Called once per tick (once per pass in free-running mode), after the tick's spikes were delivered.</summary>
    void OnTick(NeuronHandle neuron);
}
