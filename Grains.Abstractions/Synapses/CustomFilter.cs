using NeuroMesh.Spikes;

namespace NeuroMesh.Synapses;

/// <summary>A named predicate registered in code (see <see cref="DendriticFilterRegistry"/>).</summary>
public sealed class CustomFilter(string name, SpikePredicate predicate) : DendriticFilter
{
    private readonly SpikePredicate _predicate = predicate ?? throw new ArgumentNullException(nameof(predicate));

    /// <summary>The registered name.</summary>
    public string Name { get; } = name;

    /// <inheritdoc />
    public override bool Accepts(in Spike spike) => _predicate(in spike);
}
