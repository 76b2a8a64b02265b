using NeuroMesh.Spikes;

namespace NeuroMesh.Synapses;

/// <summary>Passes only spikes of one <see cref="SpikeType"/>.</summary>
public sealed class TypeFilter(SpikeType type) : DendriticFilter
{
    /// <summary>The type that passes.</summary>
    public SpikeType Type { get; } = type;

    /// <inheritdoc />
    public override bool Accepts(in Spike spike) => spike.Type == Type;
}
