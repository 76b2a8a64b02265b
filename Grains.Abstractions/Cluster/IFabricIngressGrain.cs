namespace NeuroMesh.Cluster;

/// <summary>
/// One per silo (string key = the silo's parsable address), pinned to that silo: the implicit subscriber of the silo's
/// spike stream, which hands each incoming <see cref="SpikeBatch"/> to the sink registered for its channel there.
/// </summary>
public interface IFabricIngressGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes batches pushed by a grain call instead of the stream (the <c>Calls</c> lockstep transport): each goes to its
    /// channel's sink exactly as a batch from the stream would, in the order given.
    /// </summary>
    Task Deliver(SpikeBatch[] batches);

    /// <summary>The ingress's counters on its silo.</summary>
    Task<IngressCounters> GetCounters();
}
