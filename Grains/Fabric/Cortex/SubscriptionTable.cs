using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// A plain subscription list per source: sorted target arrays, replaced on each edit so that a lookup is one
/// dictionary read and no allocation. Not thread-safe; its mesh serialises edits with passes.
/// </summary>
public sealed class SubscriptionTable : ISubscriptionTable
{
    private readonly Dictionary<uint, uint[]> _targets = [];

    // target -> its sources, so that removing a neuron touches only the sources it subscribed to, not every source.
    private readonly Dictionary<uint, HashSet<uint>> _sources = [];

    /// <summary>Number of subscriptions.</summary>
    public int Count => _targets.Values.Sum(t => t.Length);

    /// <inheritdoc />
    public ReadOnlySpan<uint> TargetsOf(in Spike spike) => TargetsOf(spike.Source);

    /// <summary>The subscribers of <paramref name="source"/>, ascending.</summary>
    public ReadOnlySpan<uint> TargetsOf(uint source) => _targets.TryGetValue(source, out var targets) ? targets : [];

    /// <inheritdoc />
    public bool Subscribe(uint source, uint target)
    {
        var targets = _targets.TryGetValue(source, out var existing) ? existing : [];
        var index = Array.BinarySearch(targets, target);
        if (index >= 0)
        {
            return false;
        }

        index = ~index;
        _targets[source] = [.. targets.AsSpan(0, index), target, .. targets.AsSpan(index)];
        if (!_sources.TryGetValue(target, out var sources))
        {
            _sources[target] = sources = [];
        }

        sources.Add(source);
        return true;
    }

    /// <inheritdoc />
    public bool Unsubscribe(uint source, uint target)
    {
        if (!_targets.TryGetValue(source, out var targets))
        {
            return false;
        }

        var index = Array.BinarySearch(targets, target);
        if (index < 0)
        {
            return false;
        }

        if (targets.Length == 1)
        {
            _targets.Remove(source);
        }
        else
        {
            _targets[source] = [.. targets.AsSpan(0, index), .. targets.AsSpan(index + 1)];
        }

        if (_sources.TryGetValue(target, out var sources) && sources.Remove(source) && sources.Count == 0)
        {
            _sources.Remove(target);
        }

        return true;
    }

    /// <inheritdoc />
    public void RemoveNeuron(uint neuron)
    {
        foreach (var target in TargetsOf(neuron).ToArray())
        {
            Unsubscribe(neuron, target);
        }

        if (_sources.TryGetValue(neuron, out var sources))
        {
            foreach (var source in sources.ToArray())
            {
                Unsubscribe(source, neuron);
            }
        }
    }
}
