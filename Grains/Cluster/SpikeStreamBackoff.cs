using Orleans.Hosting;
using Orleans.Runtime.Providers;

namespace NeuroMesh.Cluster;

/// <summary>
/// How long the pulling agents of the spike streams and the run taps wait before they read a queue again, or deliver a batch again, after a
/// failure: 5 ms, doubling, at most 250 ms. Orleans' defaults (10 to 20 s for a read, 1 to 30 s for a delivery) suit
/// queues that tolerate delay; a lockstep window waits at most <c>WindowTimeoutSeconds</c> for its peers' frames, so one
/// failed read (a memory queue grain that lived on a lost silo) stalled every frame in that queue past the window and the
/// run failed again after its recovery. A tap subscriber would see the same stall as a gap in its live view.
/// </summary>
internal sealed class SpikeStreamBackoff : IMessageDeliveryBackoffProvider, IQueueReaderBackoffProvider
{
    /// <summary>The first wait.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest wait.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(250);

    /// <summary>Makes this the read and the delivery backoff of the pulling agents of <paramref name="streams"/>.</summary>
    public void ApplyTo(ISiloPersistentStreamConfigurator streams)
    {
        streams.ConfigureBackoffProvider((_, _) => (IMessageDeliveryBackoffProvider)this);
        streams.ConfigureBackoffProvider((_, _) => (IQueueReaderBackoffProvider)this);
    }

    /// <inheritdoc />
    public TimeSpan Next(int attempt)
    {
        var doublings = Math.Clamp(attempt, 0, 16);
        var delay = First * (1 << doublings);
        return delay < Max ? delay : Max;
    }
}
