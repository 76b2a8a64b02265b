using System.Collections.Immutable;
using NeuroMesh.Regions;

namespace NeuroMesh.Agents;

/// <summary>
/// What an agent tells the mesh about itself, for discovery: its name, the neuron that is the agent, what it can do
/// and where it lives. Built through the constructor, which validates and normalises every field.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AgentCard
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Creates a card.</summary>
    /// <param name="name">A human-readable name (trimmed; 1 to <see cref="MaxNameLength"/> characters, no control characters).</param>
    /// <param name="neuronId">The id of the neuron this agent is. <see cref="Spikes.Spike.BroadcastTarget"/> is reserved.</param>
    /// <param name="capabilities">What the agent can do; normalised by <see cref="CapabilityName.Normalize"/>, duplicates removed.</param>
    /// <param name="regions">Where the agent lives; duplicates removed, kept in <see cref="RegionPath"/> order.</param>
    /// <param name="metadata">Optional free-form key/value pairs (keys non-empty).</param>
    /// <exception cref="ArgumentException">A field is invalid; the message names it.</exception>
    public AgentCard(string name, uint neuronId, IEnumerable<string>? capabilities = null, IEnumerable<RegionPath>? regions = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Name = ValidateName(name);
        if (neuronId == Spikes.Spike.BroadcastTarget)
        {
            throw new ArgumentException($"Neuron id {neuronId} (0x{neuronId:X8}) is the broadcast target and cannot name an agent.", nameof(neuronId));
        }

        NeuronId = neuronId;
        Capabilities = CapabilityName.NormalizeAll(capabilities);
        Regions = [.. (regions ?? []).Distinct().Order()];
        Metadata = ValidateMetadata(metadata);
    }

    /// <summary>The agent's name.</summary>
    [Id(0)]
    public string Name { get; }

    /// <summary>The neuron this agent is.</summary>
    [Id(1)]
    public uint NeuronId { get; }

    /// <summary>Normalised capability names, in ordinal order.</summary>
    [Id(2)]
    public ImmutableSortedSet<string> Capabilities { get; }

    /// <summary>The regions the agent belongs to, distinct and ordered.</summary>
    [Id(3)]
    public ImmutableArray<RegionPath> Regions { get; }

    /// <summary>Free-form metadata; empty when none was given.</summary>
    [Id(4)]
    public ImmutableSortedDictionary<string, string> Metadata { get; }

    /// <summary>True when the card lists <paramref name="capability"/> (normalised before the lookup).</summary>
    public bool HasCapability(string capability) => Capabilities.Contains(CapabilityName.Normalize(capability));

    /// <summary>True when one of the card's regions is <paramref name="region"/> or lies inside it.</summary>
    public bool IsIn(RegionPath region)
    {
        foreach (var own in Regions)
        {
            if (region.IsParentOfOrSelf(own))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy with other capabilities.</summary>
    public AgentCard WithCapabilities(IEnumerable<string> capabilities) => new(Name, NeuronId, capabilities, Regions, Metadata);

    /// <summary>A copy with other regions.</summary>
    public AgentCard WithRegions(IEnumerable<RegionPath> regions) => new(Name, NeuronId, Capabilities, regions, Metadata);

    /// <summary>Value equality over every field, collections included.</summary>
    public bool Equals(AgentCard? other)
        => other is not null
        && Name == other.Name
        && NeuronId == other.NeuronId
        && Capabilities.SequenceEqual(other.Capabilities)
        && Regions.SequenceEqual(other.Regions)
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, NeuronId, Capabilities.Count, Regions.Length);

    /// <inheritdoc />
    public override string ToString()
        => $"AgentCard({NeuronId} '{Name}', capabilities=[{string.Join(", ", Capabilities)}], regions=[{string.Join(", ", Regions)}])";

    private static string ValidateName(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name), "An agent card needs a name.");
        }

        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("An agent card needs a non-empty name.", nameof(name));
        }

        if (trimmed.Length > MaxNameLength)
        {
            throw new ArgumentException($"Agent name '{trimmed[..20]}...' is {trimmed.Length} characters long, more than {MaxNameLength}.", nameof(name));
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new ArgumentException($"Agent name '{trimmed}' holds a control character.", nameof(name));
        }

        return trimmed;
    }

    private static ImmutableSortedDictionary<string, string> ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? ImmutableDictionary<string, string>.Empty)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("Agent metadata keys must be non-empty.", nameof(metadata));
            }

            builder[key] = value ?? throw new ArgumentException($"Agent metadata '{key}' has a null value.", nameof(metadata));
        }

        return builder.ToImmutable();
    }
}
