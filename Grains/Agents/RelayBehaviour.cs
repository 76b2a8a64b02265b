using NeuroMesh.Spikes;

namespace NeuroMesh.Agents;

/// <summary>
/// A built-in behaviour (registered as <see cref="Name"/>): it broadcasts when stimulated, and passes every spike it
/// receives on to its own subscribers with the same payload and type.
/// </summary>
public sealed class RelayBehaviour : INeuronBehaviour
{
    /// <summary>The name <c>AddNeuroMesh</c> registers it under.</summary>
    public const string Name = "relay";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Capabilities { get; } = ["relay"];

    /// <inheritdoc />
    public void OnSpike(in Spike spike, NeuronHandle neuron) => neuron.Broadcast(neuron.ReadPayload(spike), spike.Type);

    /// <inheritdoc />
    public void OnFire(NeuronHandle neuron) => neuron.Broadcast();
}
