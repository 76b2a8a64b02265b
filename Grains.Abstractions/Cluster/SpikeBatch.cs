namespace NeuroMesh.Cluster;

/// <summary>
/// One cross-silo batch on the spike stream: a spike frame (<c>NeuroMesh.Fabric.Wire.SpikeFrame</c>: header with sender,
/// sequence, tick range and CRC32C, then 64-byte spikes) addressed to a channel of the receiving silo. A lockstep run's
/// channel names the run, its epoch and the receiving shard; free-running agent traffic uses <see cref="MeshChannel"/>.
/// </summary>
/// <param name="Channel">Which sink on the receiving silo takes the frame.</param>
/// <param name="Frame">The encoded frame; never mutated after it is produced.</param>
[GenerateSerializer, Immutable, Alias("neuromesh.spike-batch")]
public sealed record class SpikeBatch([property: Id(0)] string Channel, [property: Id(1)] byte[] Frame)
{
    /// <summary>The channel of free-running agent traffic between silos.</summary>
    public const string MeshChannel = "mesh";
}
