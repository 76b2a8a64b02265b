using System.Collections.Concurrent;
using NeuroMesh.Placement;

namespace NeuroMesh.Cluster;

/// <summary>
/// The silo-local table from channel to sink that the fabric ingress grain routes by. Sinks register for as long as they
/// run (a lockstep shard for its run's epoch, the agent mesh for <see cref="SpikeBatch.MeshChannel"/>); a batch for a
/// channel with no sink is dropped and counted.
/// </summary>
public sealed class FabricIngressRouter
{
    private readonly ConcurrentDictionary<string, ISpikeBatchSink> _sinks = new(StringComparer.Ordinal);
    private long _delivered;
    private long _droppedNoSink;
    private long _sinkFaults;
    private long _droppedSiloLeft;

    /// <summary>Batches handed to a sink.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Batches with no sink for their channel.</summary>
    public long DroppedNoSink => Interlocked.Read(ref _droppedNoSink);

    /// <summary>Batches whose sink threw.</summary>
    public long SinkFaults => Interlocked.Read(ref _sinkFaults);

    /// <summary>Batches addressed to a silo that has left the cluster, taken by a drain on this silo and dropped (see <see cref="SiloIngressPlacement"/>).</summary>
    public long DroppedSiloLeft => Interlocked.Read(ref _droppedSiloLeft);

    /// <summary>Registers <paramref name="sink"/> for <paramref name="channel"/>; disposing the result unregisters it.</summary>
    /// <exception cref="InvalidOperationException">Another sink holds the channel.</exception>
    public IDisposable Register(string channel, ISpikeBatchSink sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(sink);
        if (!_sinks.TryAdd(channel, sink))
        {
            throw new InvalidOperationException($"channel '{channel}' already has a sink on this silo");
        }

        return new Registration(this, channel, sink);
    }

    /// <summary>Routes <paramref name="batch"/>; returns true when a sink took it.</summary>
    public bool Route(SpikeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!_sinks.TryGetValue(batch.Channel, out var sink))
        {
            Interlocked.Increment(ref _droppedNoSink);
            return false;
        }

        try
        {
            sink.Accept(batch);
            Interlocked.Increment(ref _delivered);
            return true;
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _sinkFaults);
            return false;
        }
    }

    /// <summary>Drops <paramref name="batch"/>, addressed to a silo that has left the cluster, and counts it.</summary>
    public void DropForDepartedSilo(SpikeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Interlocked.Increment(ref _droppedSiloLeft);
    }

    private sealed class Registration(FabricIngressRouter router, string channel, ISpikeBatchSink sink) : IDisposable
    {
        public void Dispose() => router._sinks.TryRemove(new KeyValuePair<string, ISpikeBatchSink>(channel, sink));
    }
}
