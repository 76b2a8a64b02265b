namespace NeuroMesh.Cluster;

/// <summary>How a <see cref="SiloOutbox"/> reaches other silos: the spike stream for batches, the mesh ingress grain for receipts.</summary>
public interface IMeshTransport
{
    /// <summary>Enqueues <paramref name="batch"/> on <paramref name="destination"/>'s spike stream; completes once the queue holds it.</summary>
    Task SendAsync(SiloAddress destination, SpikeBatch batch);

    /// <summary>What <paramref name="destination"/> has accepted from the sender with mesh sender id <paramref name="sender"/>.</summary>
    Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender);
}
