namespace NeuroMesh.Cluster;

/// <summary>
/// The default mesh transport (<c>NeuroMesh:Cluster:MeshTransport = Push</c>): a batch for a silo in this process goes
/// straight to that silo's router, which hands it to its <see cref="MeshIngress"/> as the ingress grain would, and the
/// sender's receipt is read there at once; a batch for any other silo goes by <paramref name="remote"/> (grain calls).
/// </summary>
public sealed class PushMeshTransport(IMeshTransport remote) : IMeshTransport
{
    /// <inheritdoc />
    public Task<MeshReceipt?> SendAsync(SiloAddress destination, SpikeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!InProcessSilos.TryGet(SiloKey.For(destination), out var silo))
        {
            return remote.SendAsync(destination, batch);
        }

        silo.Router.Route(batch);
        return Task.FromResult<MeshReceipt?>(silo.Mesh.ReceiptFor(batch));
    }

    /// <inheritdoc />
    public Task<MeshReceipt> GetReceiptAsync(SiloAddress destination, ulong sender)
        => InProcessSilos.TryGet(SiloKey.For(destination), out var silo) ? Task.FromResult(silo.Mesh.Receipt(sender)) : remote.GetReceiptAsync(destination, sender);
}
