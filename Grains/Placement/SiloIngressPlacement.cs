using Orleans.Placement;

namespace NeuroMesh.Placement;

/// <summary>
/// Places a silo's stream ingress (<see cref="FabricIngressGrain"/>) on the silo its key names while that silo is a
/// member; once the silo has left the cluster (it is shutting down, stopping or dead, or a newer generation holds its
/// endpoint), on the silo that asks, where the grain drains what is still addressed to the departed silo.
/// </summary>
/// <remarks>
/// A stream's pulling agent looks up the consumer of a stream it meets for the first time before it reads its queue
/// again, and Orleans retries that lookup for a minute (<c>MaxEventDeliveryTime</c>). Frames for a departed silo keep
/// coming for a while (senders learn of the loss late, and a queue taken over by another silo meets its streams anew);
/// with <see cref="SiloPinnedPlacement"/> their consumer could be placed nowhere, and every live stream of that queue
/// waited the minute. A drain answers at once and counts what it drops.
/// </remarks>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloIngressPlacement : PlacementStrategy
{
    internal static SiloIngressPlacement Singleton { get; } = new();
}
