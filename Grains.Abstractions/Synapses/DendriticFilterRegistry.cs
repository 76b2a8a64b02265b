using System.Collections.Concurrent;

namespace NeuroMesh.Synapses;

/// <summary>The named predicates that custom filters refer to. Register them before building an engine.</summary>
public sealed class DendriticFilterRegistry
{
    private readonly ConcurrentDictionary<string, CustomFilter> _filters = new(StringComparer.Ordinal);

    /// <summary>A process-wide registry, used when no other is given.</summary>
    public static DendriticFilterRegistry Shared { get; } = new();

    /// <summary>Registers (or replaces) a predicate under a name.</summary>
    public void Register(string name, SpikePredicate predicate)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _filters[name] = new CustomFilter(name, predicate);
    }

    /// <summary>The filter registered under a name.</summary>
    /// <exception cref="KeyNotFoundException">Nothing is registered under that name.</exception>
    public CustomFilter Resolve(string name)
        => _filters.TryGetValue(name, out var filter)
            ? filter
            : throw new KeyNotFoundException($"no custom dendritic filter is registered under '{name}'; call DendriticFilterRegistry.Register first");
}
