namespace NeuroMesh.Engine.Snapshots;

/// <summary>The JSON header of a snapshot file: what run and tick it captures, and how its sections are stored.</summary>
public sealed record SnapshotHeader
{
    /// <summary>The run the snapshot was taken from.</summary>
    public required string RunId { get; init; }

    /// <summary>SHA-256 of the canonical spec (the spec itself follows the header).</summary>
    public required string SpecHash { get; init; }

    /// <summary>The tick the state stands at (the next one to run); a checkpoint of the run.</summary>
    public required long Tick { get; init; }

    /// <summary>Spikes in ticks 0 .. Tick − 1.</summary>
    public required long Spikes { get; init; }

    /// <summary>The spike-train hash of ticks 0 .. Tick − 1, as the run's checkpoint records it.</summary>
    public required string SpikeTrainHash { get; init; }

    /// <summary>The running SHA-256 state of that hash (base64), so that a restored run carries it on.</summary>
    public required string HashState { get; init; }

    /// <summary>Neurons in the network.</summary>
    public required int NeuronCount { get; init; }

    /// <summary>How the sections are compressed.</summary>
    public required SnapshotCodec Codec { get; init; }

    /// <summary>The neuron range of each section, in order (one per shard that wrote it).</summary>
    public required SnapshotSection[] Sections { get; init; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset CreatedUtc { get; init; }
}
