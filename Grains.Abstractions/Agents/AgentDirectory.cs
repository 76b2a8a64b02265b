using NeuroMesh.Regions;

namespace NeuroMesh.Agents;

/// <summary>
/// A thread-safe set of <see cref="AgentCard"/>s, one per neuron id, with discovery by capability, by region subtree
/// or by both. Every result is a snapshot ordered by neuron id.
/// </summary>
/// <remarks>Plain C# with no Orleans dependency: a <c>RegionGrain</c> holds one as its discovery state.</remarks>
public sealed class AgentDirectory
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<uint, AgentCard> _cards = [];

    /// <summary>Number of registered cards.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _cards.Count;
            }
        }
    }

    /// <summary>Every card, by neuron id.</summary>
    public IReadOnlyList<AgentCard> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _cards.Values];
            }
        }
    }

    /// <summary>Adds a card.</summary>
    /// <exception cref="ArgumentException">A card for the same neuron id is already registered.</exception>
    public void Register(AgentCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        lock (_lock)
        {
            if (_cards.TryGetValue(card.NeuronId, out var existing))
            {
                throw new ArgumentException($"Neuron {card.NeuronId} already has an agent card ('{existing.Name}'); use Update to change it or Unregister it first.", nameof(card));
            }

            _cards.Add(card.NeuronId, card);
        }
    }

    /// <summary>Replaces the card registered for <c>card.NeuronId</c>.</summary>
    /// <exception cref="KeyNotFoundException">No card is registered for that neuron id.</exception>
    public void Update(AgentCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        lock (_lock)
        {
            if (!_cards.ContainsKey(card.NeuronId))
            {
                throw new KeyNotFoundException($"No agent card is registered for neuron {card.NeuronId}; Register it first.");
            }

            _cards[card.NeuronId] = card;
        }
    }

    /// <summary>Removes the card of a neuron and returns it.</summary>
    /// <exception cref="KeyNotFoundException">No card is registered for that neuron id.</exception>
    public AgentCard Unregister(uint neuronId)
        => TryUnregister(neuronId, out var card) ? card : throw new KeyNotFoundException($"No agent card is registered for neuron {neuronId}; nothing to unregister.");

    /// <summary>Removes the card of a neuron if there is one.</summary>
    public bool TryUnregister(uint neuronId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AgentCard? card)
    {
        lock (_lock)
        {
            return _cards.Remove(neuronId, out card);
        }
    }

    /// <summary>The card of a neuron.</summary>
    /// <exception cref="KeyNotFoundException">No card is registered for that neuron id.</exception>
    public AgentCard Get(uint neuronId)
        => TryGet(neuronId, out var card) ? card : throw new KeyNotFoundException($"No agent card is registered for neuron {neuronId}.");

    /// <summary>The card of a neuron, if there is one.</summary>
    public bool TryGet(uint neuronId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AgentCard? card)
    {
        lock (_lock)
        {
            return _cards.TryGetValue(neuronId, out card);
        }
    }

    /// <summary>Cards that list <paramref name="capability"/>.</summary>
    /// <exception cref="ArgumentException">The capability name is invalid.</exception>
    public IReadOnlyList<AgentCard> FindByCapability(string capability) => Find([capability], CapabilityMatch.All, region: null);

    /// <summary>Cards that list all (or any) of <paramref name="capabilities"/>.</summary>
    /// <exception cref="ArgumentException">The list is empty, or a capability name is invalid.</exception>
    public IReadOnlyList<AgentCard> FindByCapabilities(IEnumerable<string> capabilities, CapabilityMatch match = CapabilityMatch.All)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        return Find(capabilities, match, region: null);
    }

    /// <summary>Cards with a region that is <paramref name="region"/> or lies inside it (<see cref="RegionPath.IsParentOfOrSelf"/>).</summary>
    public IReadOnlyList<AgentCard> FindInRegion(RegionPath region) => Find(capabilities: null, CapabilityMatch.All, region);

    /// <summary>
    /// Cards that satisfy both filters: the capabilities (null for no capability filter) under <paramref name="match"/>,
    /// and the region subtree (null for anywhere).
    /// </summary>
    /// <exception cref="ArgumentException">An empty (not null) capability list, an invalid name or an unknown <paramref name="match"/>.</exception>
    public IReadOnlyList<AgentCard> Find(IEnumerable<string>? capabilities, CapabilityMatch match = CapabilityMatch.All, RegionPath? region = null)
    {
        if (!Enum.IsDefined(match))
        {
            throw new ArgumentOutOfRangeException(nameof(match), $"Unknown capability match {(int)match}.");
        }

        var wanted = capabilities is null ? null : CapabilityName.NormalizeAll(capabilities);
        if (wanted is { Count: 0 })
        {
            throw new ArgumentException("A discovery query needs at least one capability; pass null to match any capabilities.", nameof(capabilities));
        }

        var result = new List<AgentCard>();
        lock (_lock)
        {
            foreach (var card in _cards.Values)
            {
                if (region is { } r && !card.IsIn(r))
                {
                    continue;
                }

                if (wanted is not null && !(match == CapabilityMatch.All ? wanted.IsSubsetOf(card.Capabilities) : wanted.Overlaps(card.Capabilities)))
                {
                    continue;
                }

                result.Add(card);
            }
        }

        return result;
    }
}
