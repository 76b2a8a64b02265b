using NeuroMesh.Spikes;

namespace NeuroMesh.Synapses;

/// <summary>Passes only spikes whose inline payload starts with a byte prefix (a spike with an arena payload never matches).</summary>
public sealed class PayloadPrefixFilter : DendriticFilter
{
    private readonly byte[] _prefix;

    /// <summary>Creates the filter.</summary>
    /// <exception cref="ArgumentException">The prefix is longer than the inline payload.</exception>
    public PayloadPrefixFilter(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length > Spike.InlinePayloadCapacity)
        {
            throw new ArgumentException($"a payload prefix is at most {Spike.InlinePayloadCapacity} bytes (got {prefix.Length})", nameof(prefix));
        }

        _prefix = prefix.ToArray();
    }

    /// <summary>The required prefix.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix;

    /// <inheritdoc />
    public override bool Accepts(in Spike spike) => !spike.HasArenaPayload && spike.InlinePayload.StartsWith(_prefix);
}
