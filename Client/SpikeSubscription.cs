using NeuroMesh.Simulation;
using Orleans.Streams;

namespace NeuroMesh.Client;

/// <summary>
/// A live subscription to a run's tap (<see cref="SpikeTaps"/>), filtered to a <see cref="NeuronSet"/>. Each batch handed
/// on keeps its tick range, so consecutive batches still tile the run; a jump between two batches received (the subscriber
/// fell behind) is counted in <see cref="MissedTicks"/>, never hidden. Counting starts at the first batch received: the ticks
/// before a late subscriber joined are not counted (its first batch's <see cref="SpikeTapBatch.FromTick"/> says where it joined).
/// Dispose to unsubscribe.
/// </summary>
public sealed class SpikeSubscription : IAsyncDisposable
{
    private readonly NeuronSet _filter;
    private readonly Func<SpikeTapBatch, Task> _onBatch;
    private StreamSubscriptionHandle<SpikeTapBatch>? _handle;
    private long _batches;
    private long _spikes;
    private long _missed;
    private long _lastTick = -1;

    private SpikeSubscription(NeuronSet filter, Func<SpikeTapBatch, Task> onBatch)
    {
        _filter = filter;
        _onBatch = onBatch;
    }

    /// <summary>Batches received.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Spikes handed on (after the filter).</summary>
    public long Spikes => Interlocked.Read(ref _spikes);

    /// <summary>Ticks between received batches that never arrived here; ticks before the first batch received are not counted.</summary>
    public long MissedTicks => Interlocked.Read(ref _missed);

    /// <summary>The tick after the last batch handed on (its handler has returned), or -1 before the first.</summary>
    public long LastTick => Interlocked.Read(ref _lastTick);

    internal static async Task<SpikeSubscription> StartAsync(IClusterClient cluster, string runId, NeuronSet filter, Func<SpikeTapBatch, Task> onBatch)
    {
        var subscription = new SpikeSubscription(filter, onBatch);
        var stream = cluster.GetStreamProvider(SpikeTaps.ProviderName).GetStream<SpikeTapBatch>(StreamId.Create(SpikeTaps.Namespace, runId));
        subscription._handle = await stream.SubscribeAsync((batch, _) => subscription.OnBatch(batch));
        return subscription;
    }

    /// <summary>Unsubscribes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _handle, null) is { } handle)
        {
            await handle.UnsubscribeAsync();
        }
    }

    private async Task OnBatch(SpikeTapBatch batch)
    {
        // Batches of one subscription arrive one at a time. The counters move only after the handler has the batch, so a
        // caller that sees LastTick reach a tick also sees every batch up to it handed on (and counted).
        var last = Interlocked.Read(ref _lastTick);
        var kept = batch;
        if (!ReferenceEquals(_filter, NeuronSet.All))
        {
            var (ticks, neurons) = (new List<long>(), new List<int>());
            _filter.Filter(batch.Ticks, batch.Neurons, ticks, neurons);
            kept = batch with { Ticks = [.. ticks], Neurons = [.. neurons] };
        }

        await _onBatch(kept);
        if (last >= 0 && batch.FromTick > last)
        {
            Interlocked.Add(ref _missed, batch.FromTick - last);
        }

        Interlocked.Add(ref _spikes, kept.Count);
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _lastTick, batch.ToTick);
    }
}
