using System.Runtime.InteropServices;
using NeuroMesh.Fabric.Wire;

namespace NeuroMesh.Cluster;

/// <summary>
/// The silo's sink for <see cref="SpikeBatch.MeshChannel"/>: every frame is validated by one
/// <see cref="SpikeFrameDecoder"/> (which tracks each sender's sequence), so corrupt, truncated and replayed frames are
/// rejected, counted by reason and never delivered. Accepted spikes go to the attached <see cref="IMeshSpikeConsumer"/>,
/// and each sender's receipt (last sequence, frames, spikes) advances so the sender can free its in-flight window.
/// </summary>
/// <remarks>Thread-safe: frames arrive from the ingress grain one at a time; receipts and counters are read from other turns under the same lock.</remarks>
public sealed class MeshIngress : ISpikeBatchSink
{
    private readonly object _gate = new();
    private readonly SpikeFrameDecoder _decoder = new();
    private readonly Dictionary<ulong, MeshReceipt> _receipts = [];
    private IMeshSpikeConsumer? _consumer;
    private long _delivered;
    private long _noConsumer;
    private long _consumerFaulted;

    /// <summary>Attaches the silo's consumer; disposing the result detaches it.</summary>
    /// <exception cref="InvalidOperationException">A consumer is already attached.</exception>
    public IDisposable Attach(IMeshSpikeConsumer consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        lock (_gate)
        {
            if (_consumer is not null)
            {
                throw new InvalidOperationException("this silo's mesh ingress already has a consumer; detach it first");
            }

            _consumer = consumer;
        }

        return new Attachment(this, consumer);
    }

    /// <inheritdoc />
    public void Accept(SpikeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (_decoder.TryDecode(batch.Frame, out var header, out var spikes) != SpikeFrameRejection.None)
            {
                return;
            }

            var receipt = _receipts.GetValueOrDefault(header.Sender, MeshReceipt.None);
            _receipts[header.Sender] = new MeshReceipt(header.Sequence, receipt.Frames + 1, receipt.Spikes + spikes.Length);
            if (_consumer is null)
            {
                _noConsumer += spikes.Length;
                return;
            }

            try
            {
                _consumer.Deliver(header.Sender, spikes);
                _delivered += spikes.Length;
            }
            catch (Exception)
            {
                _consumerFaulted += spikes.Length;
            }
        }
    }

    /// <summary>What this silo has accepted from <paramref name="sender"/>.</summary>
    public MeshReceipt Receipt(ulong sender)
    {
        lock (_gate)
        {
            return _receipts.GetValueOrDefault(sender, MeshReceipt.None);
        }
    }

    /// <summary>
    /// What this silo has accepted from the sender of <paramref name="batch"/> (read from its frame header), or
    /// <see cref="MeshReceipt.None"/> for a batch too short to name one: the answer to a sender that just delivered it.
    /// </summary>
    public MeshReceipt ReceiptFor(SpikeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Frame.Length >= SpikeFrameHeader.Size ? Receipt(MemoryMarshal.Read<SpikeFrameHeader>(batch.Frame).Sender) : MeshReceipt.None;
    }

    /// <summary>A snapshot of the counters, labelled with <paramref name="silo"/>.</summary>
    public MeshIngressCounters Counters(string silo)
    {
        lock (_gate)
        {
            return new MeshIngressCounters
            {
                Silo = silo,
                FramesAccepted = _decoder.Accepted,
                SpikesAccepted = _decoder.SpikesAccepted,
                SpikesDelivered = _delivered,
                SpikesNoConsumer = _noConsumer,
                SpikesConsumerFaulted = _consumerFaulted,
                Gaps = _decoder.Gaps,
                Rejected = Enum.GetValues<SpikeFrameRejection>()
                    .Where(r => r != SpikeFrameRejection.None && _decoder.Rejected(r) > 0)
                    .ToDictionary(r => r.ToString(), _decoder.Rejected, StringComparer.Ordinal),
            };
        }
    }

    private sealed class Attachment(MeshIngress ingress, IMeshSpikeConsumer consumer) : IDisposable
    {
        public void Dispose()
        {
            lock (ingress._gate)
            {
                if (ReferenceEquals(ingress._consumer, consumer))
                {
                    ingress._consumer = null;
                }
            }
        }
    }
}
