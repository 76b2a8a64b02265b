using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace NeuroMesh.Cluster;

/// <summary>
/// The implicit subscriber of one silo's spike stream, pinned to that silo (its key is the silo's address) and immovable:
/// each batch goes to the silo's <see cref="FabricIngressRouter"/>, which hands it to the sink of its channel. Nothing is
/// thrown back into the stream: a batch without a sink, or whose sink faults, is counted.
/// </summary>
[ImplicitStreamSubscription(SpikeStreams.Namespace)]
[SiloPinnedPlacement]
[Immovable]
public sealed class FabricIngressGrain(FabricIngressRouter router, ILocalSiloDetails silo, NeuroMesh.Fabric.SpikeFabric fabric) : Grain, IFabricIngressGrain, IStreamSubscriptionObserver, IAsyncObserver<SpikeBatch>
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var pinned = SiloKey.Parse(this.GetPrimaryKeyString());
        if (!pinned.Equals(silo.SiloAddress))
        {
            throw new InvalidOperationException($"fabric ingress for silo {pinned} activated on silo {silo.SiloAddress}; it must be placed by SiloPinnedPlacement");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<SpikeBatch>().ResumeAsync(this);
    }

    /// <inheritdoc />
    public Task OnNextAsync(SpikeBatch item, StreamSequenceToken? token = null)
    {
        router.Route(item);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Deliver(SpikeBatch[] batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        foreach (var batch in batches)
        {
            router.Route(batch);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<IngressCounters> GetCounters() => Task.FromResult(new IngressCounters
    {
        Silo = silo.SiloAddress.ToParsableString(),
        Delivered = router.Delivered,
        DroppedNoSink = router.DroppedNoSink,
        SinkFaults = router.SinkFaults,
        LeasedRings = fabric.LeasedRings,
        RingCount = fabric.Layout.RingCount,
    });
}
