using NeuroMesh.Spikes;

namespace NeuroMesh.Agents;

/// <summary>
/// What an agent neuron does. The runtime calls a behaviour from one thread at a time (its mesh's or Cortex loop's
/// pass), so a behaviour needs no locking of its own. An exception thrown from a callback is caught, counted and
/// reported as a <see cref="BehaviourFault"/>; it never stops the other neurons.
/// </summary>
public interface INeuronBehaviour
{
    /// <summary>What this behaviour can do, for discovery (see <see cref="AgentCard.Capabilities"/>).</summary>
    IReadOnlyCollection<string> Capabilities { get; }

    /// <summary>
    /// A spike arrived. Spikes that arrive in one pass are handed over in one wake, one call per spike.
    /// The reference is valid only during the call; copy what you keep, including an arena payload
    /// (<see cref="NeuronHandle.ReadPayload"/>), which is released after the pass.
    /// </summary>
    void OnSpike(in Spike spike, NeuronHandle neuron);

    /// <summary>
    /// The neuron fired: its membrane crossed threshold (Cortex loop) or it was stimulated
    /// (<see cref="Cortex.Stimulate"/>). Emit the agent's output here with <see cref="NeuronHandle.Fire(ReadOnlySpan{byte}, SpikeType, byte)"/>.
    /// </summary>
    void OnFire(NeuronHandle neuron);
}
