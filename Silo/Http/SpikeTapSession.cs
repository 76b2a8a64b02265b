using System.Threading.Channels;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using Orleans.Streams;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// One live consumer of a run's tap (an SSE response or a WebSocket): it subscribes to the run's stream, queues batches
/// (a consumer that falls behind loses whole batches, which are counted), filters them and samples them down to the
/// filter's spikes-per-second budget. Every spike the run fired in the covered ticks is either sent or counted in
/// <see cref="TapEvent.SampledAway"/>/<see cref="TapEvent.Filtered"/>, or its ticks are reported missed.
/// </summary>
internal sealed class SpikeTapSession : IAsyncDisposable
{
    private const int QueueBatches = 256;
    private readonly Channel<SpikeTapBatch> _queue;
    private readonly StreamSubscriptionHandle<SpikeTapBatch> _handle;
    private long _droppedSpikes;
    private long _nextTick = -1;
    private double _tokens;
    private long _lastRefill = Environment.TickCount64;

    private readonly IReadOnlyList<PopulationRange> _populations;

    private SpikeTapSession(Channel<SpikeTapBatch> queue, StreamSubscriptionHandle<SpikeTapBatch> handle, SpikeFilter filter, IReadOnlyList<PopulationRange> populations)
    {
        _queue = queue;
        _handle = handle;
        _populations = populations;
        Filter = filter;
        _tokens = filter.MaxPerSecond;
    }

    /// <summary>The run's populations, as the session was opened with them (for filters by population name).</summary>
    public IReadOnlyList<PopulationRange> Populations => _populations;

    /// <summary>The current filter (a WebSocket client may change it).</summary>
    public SpikeFilter Filter { get; set; }

    /// <summary>Subscribes to <paramref name="runId"/>'s tap; <paramref name="populations"/> are the run's, for the per-population counts.</summary>
    public static async Task<SpikeTapSession> OpenAsync(IClusterClient client, string runId, SpikeFilter filter, IReadOnlyList<PopulationRange> populations)
    {
        SpikeTapSession? session = null;
        var queue = Channel.CreateBounded<SpikeTapBatch>(
            new BoundedChannelOptions(QueueBatches) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            dropped => session?.Dropped(dropped));
        var stream = client.GetStreamProvider(SpikeTaps.ProviderName).GetStream<SpikeTapBatch>(StreamId.Create(SpikeTaps.Namespace, runId));
        var handle = await stream.SubscribeAsync((batch, _) =>
        {
            queue.Writer.TryWrite(batch);
            return Task.CompletedTask;
        });
        session = new SpikeTapSession(queue, handle, filter, populations);
        return session;
    }

    /// <summary>The populations of a deployed run, or null when nothing is deployed under <paramref name="runId"/>.</summary>
    public static async Task<IReadOnlyList<PopulationRange>?> PopulationsAsync(IGrainFactory grains, string runId)
        => await grains.GetGrain<ISimulationGrain>(runId).GetSpec() is { } json ? PopulationRange.Of(NetworkSpec.Parse(json)) : null;

    /// <summary>The next event, or null when no batch arrives within <paramref name="wait"/>.</summary>
    public async Task<TapEvent?> NextAsync(TimeSpan wait, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(wait);
        try
        {
            var batch = await _queue.Reader.ReadAsync(timeout.Token);
            return Sample(batch);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _handle.UnsubscribeAsync();
        }
        catch (OrleansException)
        {
            // The silo is shutting down; the subscription goes with it.
        }
    }

    private void Dropped(SpikeTapBatch batch)
    {
        // Its ticks also show as a jump (MissedTicks) at the next batch taken.
        Interlocked.Add(ref _droppedSpikes, batch.Count);
    }

    private TapEvent Sample(SpikeTapBatch batch)
    {
        var filter = Filter;
        var now = Environment.TickCount64;
        _tokens = Math.Min(filter.MaxPerSecond, _tokens + ((now - _lastRefill) / 1000.0 * filter.MaxPerSecond));
        _lastRefill = now;

        var matched = new List<int>();
        var perPopulation = new long[_populations.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var population = Population(batch.Neurons[i]);
            if (population >= 0)
            {
                perPopulation[population]++;
            }

            if (filter.Passes(batch.Neurons[i]))
            {
                matched.Add(i);
            }
        }

        var send = (int)Math.Min(matched.Count, Math.Floor(_tokens));
        _tokens -= send;
        var ticks = new long[send];
        var neurons = new int[send];
        for (var k = 0; k < send; k++)
        {
            // Evenly strided over the batch, so a sampled raster still covers every neuron and tick range.
            var i = matched[(int)((long)k * matched.Count / send)];
            ticks[k] = batch.Ticks[i];
            neurons[k] = batch.Neurons[i];
        }

        var missedTicks = _nextTick >= 0 && batch.FromTick > _nextTick ? batch.FromTick - _nextTick : 0;
        _nextTick = batch.ToTick;
        return new TapEvent(
            batch.RunId,
            batch.FromTick,
            batch.ToTick,
            batch.Dt,
            ticks,
            neurons,
            Fired: batch.Count,
            Filtered: batch.Count - matched.Count,
            SampledAway: matched.Count - send,
            MissedTicks: missedTicks,
            DroppedSpikes: Interlocked.Exchange(ref _droppedSpikes, 0),
            PopulationFired: perPopulation);
    }

    // Populations are contiguous and in id order, so a binary search over their first ids finds a neuron's.
    private int Population(int neuron)
    {
        var (lo, hi) = (0, _populations.Count - 1);
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var p = _populations[mid];
            if (neuron < p.First)
            {
                hi = mid - 1;
            }
            else if (neuron >= p.First + p.Size)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }
}

/// <summary>
/// What a tap sends for one batch of the run: the spikes it passes (<see cref="Ticks"/>, <see cref="Neurons"/>) and the
/// accounting of the rest: <see cref="Fired"/> = sent + <see cref="Filtered"/> + <see cref="SampledAway"/>;
/// <see cref="MissedTicks"/> is a jump since the previous batch and <see cref="DroppedSpikes"/> the spikes of batches this
/// consumer was too slow to take (both 0 for a consumer that keeps up). <see cref="PopulationFired"/> counts every spike of
/// the batch by population (in the order of <c>/api/runs/{id}/populations</c>), before filtering and sampling, so firing
/// rates are exact whatever the budget.
/// </summary>
internal sealed record TapEvent(
    string Run,
    long FromTick,
    long ToTick,
    double Dt,
    long[] Ticks,
    int[] Neurons,
    long Fired,
    long Filtered,
    long SampledAway,
    long MissedTicks,
    long DroppedSpikes,
    long[] PopulationFired)
{
    /// <summary>The message type on the WebSocket (<c>"spikes"</c>; the SSE event name says the same).</summary>
    public string Type => "spikes";
}
