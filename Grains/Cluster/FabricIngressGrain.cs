using Microsoft.Extensions.Logging;
using NeuroMesh.Placement;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace NeuroMesh.Cluster;

/// <summary>
/// The implicit subscriber of one silo's spike stream, pinned to that silo (its key is the silo's address) and immovable:
/// each batch goes to the silo's <see cref="FabricIngressRouter"/>, which hands it to the sink of its channel. Nothing is
/// thrown back into the stream: a batch without a sink, or whose sink faults, is counted.
/// </summary>
/// <remarks>
/// Once its silo has left the cluster, the grain is activated where it is called (<see cref="SiloIngressPlacement"/>) as a
/// drain: it takes what is still addressed to the departed silo, drops it and counts it
/// (<see cref="IngressCounters.DroppedSiloLeft"/> of the silo it runs on), so that the stream queue those frames share
/// with live silos moves on. The senders account for the spikes themselves (a mesh counts what the departed silo never
/// acknowledged as lost; a lockstep run recovers from its last checkpoint).
/// </remarks>
[ImplicitStreamSubscription(SpikeStreams.Namespace)]
[SiloIngressPlacement]
[Immovable]
public sealed class FabricIngressGrain(FabricIngressRouter router, ILocalSiloDetails silo, IClusterMembershipService membership, NeuroMesh.Fabric.SpikeFabric fabric, ILogger<FabricIngressGrain> logger) : Grain, IFabricIngressGrain, IStreamSubscriptionObserver, IAsyncObserver<SpikeBatch>
{
    private bool _drain;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var pinned = SiloKey.Parse(this.GetPrimaryKeyString());
        if (pinned.Equals(silo.SiloAddress))
        {
            return Task.CompletedTask;
        }

        if (!SiloDeparture.HasLeft(membership.CurrentSnapshot, pinned))
        {
            throw new InvalidOperationException($"fabric ingress for silo {pinned} activated on silo {silo.SiloAddress} while that silo has not left the cluster; it must be placed by SiloIngressPlacement");
        }

        _drain = true;
        logger.LogInformation("Silo {Silo} drains the spike stream of silo {Departed}, which left the cluster: what is still addressed to it is dropped and counted", silo.SiloAddress, pinned);
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
        Take(item);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Deliver(SpikeBatch[] batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        foreach (var batch in batches)
        {
            Take(batch);
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
        DroppedSiloLeft = router.DroppedSiloLeft,
        LeasedRings = fabric.LeasedRings,
        RingCount = fabric.Layout.RingCount,
    });

    private void Take(SpikeBatch batch)
    {
        if (_drain)
        {
            router.DropForDepartedSilo(batch);
        }
        else
        {
            router.Route(batch);
        }
    }
}
