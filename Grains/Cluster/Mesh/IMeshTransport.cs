namespace NeuroMesh.Cluster;

/// <summary>How a <see cref="SiloOutbox"/> reaches other silos: batches out, receipts (what the destination accepted) back.</summary>
public interface IMeshTransport
{
    /// <summary>
    /// Sends <paramref name="batch"/> to <paramref name="destination"/>; completes once the transport holds it (a stream
    /// queue) or the destination took it (a grain call). Returns the destination's receipt for the batch's sender when the
    /// transport learns it on the way, otherwise null (the sender then reads it with <see cref="GetReceiptAsync"/>).
    /// </summary>
    Task<MeshReceipt?> SendAsync(SiloAddress destination, SpikeBatch batch);

    /// <summary>What <paramref name="destination"/> has accepted from the sender with mesh sender id <paramref name="sender"/>.</summary>
    Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender);
}
