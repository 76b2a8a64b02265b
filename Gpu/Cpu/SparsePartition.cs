namespace NeuroMesh.Engine.Cpu;

/// <summary>
/// The synapses whose targets one worker owns, as CSR rows by source and, within a row, one segment per
/// (delay, channel, plasticity) bucket. Per synapse: 4-byte target + 4-byte fixed-point weight, plus a 2-byte
/// filter id only when some synapse in the partition is filtered. Plastic synapses add an incoming index.
/// </summary>
internal sealed class SparsePartition
{
    public required int Lo { get; init; }

    public required int Hi { get; init; }

    /// <summary>Row of source j: segments [SegStart[j], SegStart[j + 1]).</summary>
    public required int[] SegStart { get; init; }

    public required Segment[] Segs { get; init; }

    public required int[] Targets { get; init; }

    public required int[] Weights { get; init; }

    public ushort[]? Filters { get; init; }

    /// <summary>Incoming plastic synapses of local target i: In[InStart[i - Lo] .. InStart[i - Lo + 1]).</summary>
    public int[]? InStart { get; init; }

    public InEntry[]? In { get; init; }

    public float[]? Elig { get; init; }

    public int[]? EligTick { get; init; }
}

/// <summary>A run of synapses in one row that share a delay, a channel and a plasticity rule.</summary>
internal struct Segment
{
    public int Start;
    public int End;
    public int Delay;
    public byte Channel;
    public bool Filtered;
    public short Plastic;
}

/// <summary>An incoming plastic synapse: its index in the partition, its source and its rule.</summary>
internal struct InEntry
{
    public int Syn;
    public int Source;
    public short Plastic;
}
