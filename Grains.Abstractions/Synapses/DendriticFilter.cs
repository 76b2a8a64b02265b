using System.Globalization;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Synapses;

/// <summary>
/// A dendritic filter on a synapse: a spike reaches the target only when the filter accepts it.
/// The kinds are <see cref="TypeFilter"/>, <see cref="PriorityThresholdFilter"/>, <see cref="PayloadPrefixFilter"/>
/// and <see cref="CustomFilter"/> (a named predicate registered in code).
/// </summary>
public abstract class DendriticFilter
{
    /// <summary>True when the spike passes the filter.</summary>
    public abstract bool Accepts(in Spike spike);

    /// <summary>Builds the filter a spec describes; custom names are looked up in <paramref name="registry"/>.</summary>
    /// <exception cref="KeyNotFoundException">A custom filter names a predicate that is not registered.</exception>
    /// <exception cref="ArgumentException">The spec is not a known filter kind.</exception>
    public static DendriticFilter FromSpec(FilterSpec spec, DendriticFilterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(registry);
        return spec.Kind switch
        {
            "type" => new TypeFilter((SpikeType)IndexOfChannel(spec.Type)),
            "priority_threshold" => new PriorityThresholdFilter((byte)spec.MinPriority),
            "payload_prefix" => new PayloadPrefixFilter(Convert.FromHexString(spec.Prefix ?? "")),
            "custom" => registry.Resolve(spec.Name ?? ""),
            _ => throw new ArgumentException($"unknown filter kind '{spec.Kind}'", nameof(spec)),
        };
    }

    private static int IndexOfChannel(string? name)
    {
        for (var i = 0; i < SynapseChannels.All.Count; i++)
        {
            if (SynapseChannels.All[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"unknown spike type '{name}'"), nameof(name));
    }
}
