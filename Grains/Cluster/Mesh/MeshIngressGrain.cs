using NeuroMesh.Placement;
using Orleans.Concurrency;

namespace NeuroMesh.Cluster;

/// <summary>Serves the receipts and counters of its silo's <see cref="MeshIngress"/>, and batches sent by grain call; pinned to that silo.</summary>
[SiloPinnedPlacement]
[Reentrant]
public sealed class MeshIngressGrain(MeshIngress ingress, FabricIngressRouter router, ILocalSiloDetails silo) : Grain, IMeshIngressGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var pinned = SiloKey.Parse(this.GetPrimaryKeyString());
        if (!pinned.Equals(silo.SiloAddress))
        {
            throw new InvalidOperationException($"mesh ingress for silo {pinned} activated on silo {silo.SiloAddress}; it must be placed by SiloPinnedPlacement");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<MeshReceipt> GetReceipt(ulong sender) => Task.FromResult(ingress.Receipt(sender));

    /// <inheritdoc />
    public Task<MeshReceipt> Deliver(SpikeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        router.Route(batch);
        return Task.FromResult(ingress.ReceiptFor(batch));
    }

    /// <inheritdoc />
    public Task<MeshIngressCounters> GetCounters() => Task.FromResult(ingress.Counters(silo.SiloAddress.ToParsableString()));
}
