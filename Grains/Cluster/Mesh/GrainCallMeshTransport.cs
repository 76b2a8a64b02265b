namespace NeuroMesh.Cluster;

/// <summary>
/// The mesh transport that skips the memory streams (<c>NeuroMesh:Cluster:MeshTransport = Calls</c>): each batch is one
/// awaited call to the destination's <see cref="IMeshIngressGrain"/>, which routes it like the stream ingress does and
/// answers with the sender's receipt, so no receipt polling is needed. The lane awaits one call at a time, so frames
/// still arrive in sequence order.
/// </summary>
/// <remarks>
/// Memory streams carry each batch inside <c>MemoryMessageData.Payload</c>, an <c>ArraySegment&lt;byte&gt;</c> that Orleans
/// 10 serializes element by element (it has a copier but no codec for that type), at least twice per batch; a
/// <c>byte[]</c> grain-call argument is copied as one block. See docs/benchmarks.md (crosssilo) for what that costs.
/// </remarks>
public sealed class GrainCallMeshTransport(IGrainFactory grains) : IMeshTransport
{
    /// <inheritdoc />
    public async Task<MeshReceipt?> SendAsync(SiloAddress destination, SpikeBatch batch)
        => await grains.GetGrain<IMeshIngressGrain>(SiloKey.For(destination)).Deliver(batch).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender)
        => grains.GetGrain<IMeshIngressGrain>(SiloKey.For(destination)).GetReceipt(sender);
}
