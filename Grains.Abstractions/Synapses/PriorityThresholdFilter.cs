using NeuroMesh.Spikes;

namespace NeuroMesh.Synapses;

/// <summary>Passes only spikes whose <see cref="Spike.Priority"/> is at least a threshold.</summary>
public sealed class PriorityThresholdFilter(byte minPriority) : DendriticFilter
{
    /// <summary>The lowest priority that passes.</summary>
    public byte MinPriority { get; } = minPriority;

    /// <inheritdoc />
    public override bool Accepts(in Spike spike) => spike.Priority >= MinPriority;
}
