namespace NeuroMesh.Cluster;

/// <summary>
/// One per silo (string key = the silo's parsable address), pinned to that silo: what the silo's mesh ingress has taken
/// from free-running traffic (<see cref="SpikeBatch.MeshChannel"/>). Senders read their receipt to learn which batches
/// arrived, which is how they bound the batches in flight and account for every spike.
/// </summary>
public interface IMeshIngressGrain : IGrainWithStringKey
{
    /// <summary>What this silo has accepted from the sending silo whose mesh sender id is <paramref name="sender"/>.</summary>
    Task<MeshReceipt> GetReceipt(ulong sender);

    /// <summary>
    /// Hands <paramref name="batch"/> to this silo's sink for its channel, as the stream ingress would (the mesh's
    /// grain-call transport); a batch without a sink, or whose sink faults, is counted, never thrown back. Returns this
    /// silo's receipt for the sender named in the frame's header (<see cref="MeshReceipt.None"/> for a frame too short to name one).
    /// </summary>
    Task<MeshReceipt> Deliver(SpikeBatch batch);

    /// <summary>The mesh ingress's counters on this silo.</summary>
    Task<MeshIngressCounters> GetCounters();
}
