namespace NeuroMesh.Cluster;

/// <summary>What a receiving silo has accepted from one sender's mesh traffic since it started.</summary>
/// <param name="LastSequence">The highest frame sequence accepted (0 before the first).</param>
/// <param name="Frames">Frames accepted.</param>
/// <param name="Spikes">Spikes in the accepted frames.</param>
[GenerateSerializer, Immutable, Alias("neuromesh.mesh-receipt")]
public sealed record class MeshReceipt([property: Id(0)] ulong LastSequence, [property: Id(1)] long Frames, [property: Id(2)] long Spikes)
{
    /// <summary>Nothing received yet.</summary>
    public static MeshReceipt None { get; } = new(0, 0, 0);
}
