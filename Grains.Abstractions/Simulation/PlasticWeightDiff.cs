namespace NeuroMesh.Simulation;

/// <summary>
/// The plastic synapses whose weight changed since the previous diff (or since the engine was built, for the first), in
/// canonical order: by target, then by the target's incoming plastic synapses in source order, which is the same on any
/// number of shards and threads. Weights are the engine's exact fixed-point values (<see cref="FixedShift"/>), so diffs
/// compare bit for bit; <see cref="Weight"/> converts one to model units.
/// </summary>
/// <param name="Targets">Each changed synapse's target neuron, ascending.</param>
/// <param name="Slots">Its index among its target's incoming plastic synapses.</param>
/// <param name="Sources">Its source neuron.</param>
/// <param name="Weights">Its new weight, fixed-point.</param>
/// <param name="FixedShift">Weights are in units of 2^-FixedShift.</param>
[GenerateSerializer, Immutable, Alias("neuromesh.plastic-weight-diff")]
public sealed record PlasticWeightDiff(
    [property: Id(0)] int[] Targets,
    [property: Id(1)] int[] Slots,
    [property: Id(2)] int[] Sources,
    [property: Id(3)] int[] Weights,
    [property: Id(4)] int FixedShift)
{
    /// <summary>How many synapses changed.</summary>
    public int Count => Targets.Length;

    /// <summary>The new weight of change <paramref name="i"/> in model units.</summary>
    public double Weight(int i) => Math.ScaleB(Weights[i], -FixedShift);

    /// <summary>Joins the diffs of shards that own ascending, disjoint neuron ranges, in shard order.</summary>
    public static PlasticWeightDiff Concat(IReadOnlyList<PlasticWeightDiff> shards, int fixedShift)
        => new([.. shards.SelectMany(d => d.Targets)], [.. shards.SelectMany(d => d.Slots)], [.. shards.SelectMany(d => d.Sources)], [.. shards.SelectMany(d => d.Weights)], fixedShift);

    /// <summary>A digest of the diff (SHA-256 over its fields, little-endian), for comparing a replay's diffs with a log's; empty for no change.</summary>
    public string Digest()
    {
        if (Count == 0)
        {
            return string.Empty;
        }

        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> word = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(word, FixedShift);
        sha.AppendData(word);
        foreach (var column in new[] { Targets, Slots, Sources, Weights })
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(word, column.Length);
            sha.AppendData(word);
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(column.AsSpan()));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
