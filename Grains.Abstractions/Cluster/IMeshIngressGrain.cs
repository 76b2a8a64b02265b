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

    /// <summary>The mesh ingress's counters on this silo.</summary>
    Task<MeshIngressCounters> GetCounters();
}
