namespace NeuroMesh.Cluster;

/// <summary>
/// One per silo (string key = the silo's parsable address), pinned to that silo: the implicit subscriber of the silo's
/// spike stream, which hands each incoming <see cref="SpikeBatch"/> to the sink registered for its channel there.
/// </summary>
public interface IFabricIngressGrain : IGrainWithStringKey
{
    /// <summary>The ingress's counters on its silo.</summary>
    Task<IngressCounters> GetCounters();
}
