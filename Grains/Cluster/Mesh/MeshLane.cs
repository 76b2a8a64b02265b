using System.Diagnostics;
using NeuroMesh.Fabric.Wire;
using NeuroMesh.Hosting;
using NeuroMesh.Spikes;

namespace NeuroMesh.Cluster;

/// <summary>
/// The outbound path from this silo to one destination silo: a bounded ring of pending spikes, one flush loop that cuts
/// them into frames (full batch, or deadline passed) and enqueues them in sequence order, and one receipt loop that reads
/// what the destination accepted and so frees the in-flight window.
/// </summary>
/// <remarks>
/// Enqueues are awaited one at a time, so frames reach the destination's queue in sequence order and its decoder never
/// sees a reordering as a replay. While an enqueue or the window is busy, spikes keep accumulating, so batches grow with
/// the load (adaptive batching). All shared state is guarded by <c>_gate</c>; waits are task completions signalled under it.
/// </remarks>
internal sealed class MeshLane : IAsyncDisposable
{
    private static readonly TimeSpan IdleReceiptPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LossProbeAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DeadlineTick = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private readonly IMeshTransport _transport;
    private readonly SiloAddress _destination;
    private readonly ulong _sender;
    private readonly int _maxBatch;
    private readonly int _window;
    private readonly long _flushTicks;
    private readonly Spike[] _ring;
    private readonly Spike[] _scratch;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flushLoop;
    private readonly Task _receiptLoop;
    private readonly Queue<(ulong Sequence, long Enqueued)> _unacknowledged = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private int _head;
    private int _count;
    private long _firstPendingAt;
    private bool _closing;
    private bool _disposed;
    private TaskCompletionSource? _space;
    private TaskCompletionSource? _data;
    private TaskCompletionSource? _full;
    private TaskCompletionSource? _credit;
    private TaskCompletionSource? _outstanding;

    private ulong _assigned;
    private ulong _lastSent;
    private ulong _lastAcked;
    private ulong _probe;
    private long _sent;
    private long _delivered;
    private long _droppedFull;
    private long _droppedEnqueue;
    private long _droppedClosed;
    private long _droppedLost;
    private long _droppedSiloLost;
    private bool _destinationLost;
    private long _enqueued;
    private long _batches;
    private long _maxInFlight;
    private int _maxPending;
    private long _throttled;

    public MeshLane(IMeshTransport transport, SiloAddress destination, ulong sender, MeshClusterOptions options)
    {
        _transport = transport;
        _destination = destination;
        _sender = sender;
        _maxBatch = options.MaxBatchSpikes;
        _window = options.MaxBatchesInFlight;
        _flushTicks = (long)(options.FlushMicros * (Stopwatch.Frequency / 1e6));
        _ring = new Spike[options.OutboxSpikes];
        _scratch = new Spike[_maxBatch];
        _flushLoop = Task.Run(FlushLoopAsync);
        _receiptLoop = Task.Run(ReceiptLoopAsync);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<Spike> spikes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closing, this);
                var taken = Append(spikes.Span);
                _sent += taken;
                spikes = spikes[taken..];
                if (spikes.IsEmpty)
                {
                    return;
                }

                _throttled++;
                _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _space.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public int Post(ReadOnlySpan<Spike> spikes)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            var taken = Append(spikes);
            _sent += spikes.Length;
            _droppedFull += spikes.Length - taken;
            return taken;
        }
    }

    public MeshLaneCounters Counters()
    {
        lock (_gate)
        {
            return new MeshLaneCounters
            {
                Destination = _destination,
                Sent = _sent,
                Delivered = _delivered,
                DroppedOutboxFull = _droppedFull,
                DroppedEnqueueFailed = _droppedEnqueue,
                DroppedClosed = _droppedClosed,
                DroppedLost = _droppedLost,
                DroppedSiloLost = _droppedSiloLost,
                DestinationLost = _destinationLost,
                Pending = _count,
                MaxPending = _maxPending,
                Batches = _batches,
                BatchesInFlight = (long)(_lastSent - _lastAcked),
                MaxBatchesInFlight = _maxInFlight,
                ThrottledSends = _throttled,
            };
        }
    }

    /// <summary>
    /// The destination silo left the cluster: every spike not yet acknowledged (pending here or on the wire to it) is
    /// counted as lost with it, the lane takes no more spikes, and late outcomes for those spikes are ignored, so each is
    /// counted once. Returns how many spikes were lost.
    /// </summary>
    public long DestinationLost()
    {
        long lost;
        lock (_gate)
        {
            if (_destinationLost || _disposed)
            {
                return 0;
            }

            _destinationLost = true;
            lost = _sent - _delivered - (_droppedFull + _droppedEnqueue + _droppedClosed + _droppedLost);
            _droppedSiloLost += lost;
            _count = 0;
            StopTaking();
        }

        // Nothing to flush to a silo that is gone: stop the loops now. DisposeAsync still awaits and frees them.
        StopLoops();
        return lost;
    }

    /// <summary>Stops taking spikes, flushes what is pending (within the window) and stops; what cannot be sent in time is counted as closed.</summary>
    public async ValueTask DisposeAsync()
    {
        bool lost;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lost = _destinationLost;
            StopTaking();
        }

        if (!lost)
        {
            await Task.WhenAny(_flushLoop, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }

        StopLoops();
        await Task.WhenAll(_flushLoop, _receiptLoop).ConfigureAwait(false);
        lock (_gate)
        {
            _droppedClosed += _count;
            _count = 0;
        }

        _stop.Dispose();
        _sendLock.Dispose();
    }

    // Under _gate: no more spikes are taken, and every waiter wakes to see it.
    private void StopTaking()
    {
        _closing = true;
        Signal(ref _data);
        Signal(ref _full);
        Signal(ref _space);
    }

    // Outside _gate (cancelling runs the loops' continuations): the loops stop waiting for credit and receipts.
    private void StopLoops()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A DisposeAsync that raced a DestinationLost already stopped and freed the loops.
            return;
        }

        lock (_gate)
        {
            Signal(ref _credit);
            Signal(ref _outstanding);
        }
    }

    // Under _gate.
    private int Append(ReadOnlySpan<Spike> spikes)
    {
        var taken = Math.Min(spikes.Length, _ring.Length - _count);
        if (taken == 0)
        {
            return 0;
        }

        if (_count == 0)
        {
            _firstPendingAt = Stopwatch.GetTimestamp();
        }

        var tail = (_head + _count) % _ring.Length;
        var first = Math.Min(taken, _ring.Length - tail);
        spikes[..first].CopyTo(_ring.AsSpan(tail));
        spikes[first..taken].CopyTo(_ring);
        _count += taken;
        _maxPending = Math.Max(_maxPending, _count);
        Signal(ref _data);
        if (_count >= _maxBatch)
        {
            Signal(ref _full);
        }

        return taken;
    }

    private static void Signal(ref TaskCompletionSource? waiter)
    {
        waiter?.TrySetResult();
        waiter = null;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            Task? wait = null;
            var deadline = false;
            lock (_gate)
            {
                if (_count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    wait = (_data = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
                else if (_count < _maxBatch && !_closing && Stopwatch.GetTimestamp() - _firstPendingAt < _flushTicks)
                {
                    deadline = true;
                    wait = (_full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }

            if (deadline)
            {
                // Until the batch fills or its deadline passes; timers tick about once a millisecond, so that is the
                // finest wait (a shorter Task.Delay would complete at once and spin).
                await Task.WhenAny(wait!, Task.Delay(DeadlineTick)).ConfigureAwait(false);
                continue;
            }

            if (wait is not null)
            {
                await wait.ConfigureAwait(false);
                continue;
            }

            if (!await WaitForCreditAsync().ConfigureAwait(false))
            {
                return;
            }

            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                int n;
                ulong sequence;
                lock (_gate)
                {
                    _full = null;
                    n = Math.Min(_count, _maxBatch);
                    var first = Math.Min(n, _ring.Length - _head);
                    _ring.AsSpan(_head, first).CopyTo(_scratch);
                    _ring.AsSpan(0, n - first).CopyTo(_scratch.AsSpan(first));
                    _head = (_head + n) % _ring.Length;
                    _count -= n;
                    if (_count > 0)
                    {
                        // The rest arrived after the batch's first spike; start their deadline now rather than flush them at once.
                        _firstPendingAt = Stopwatch.GetTimestamp();
                    }

                    sequence = ++_assigned;
                    Signal(ref _space);
                }

                var batch = _scratch.AsSpan(0, n);
                var (firstTick, lastTick) = TickRange(batch);
                await EnqueueAsync(sequence, SpikeFrame.Encode(_sender, sequence, firstTick, lastTick, batch), n).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }

    /// <summary>Enqueues one frame; the caller holds <c>_sendLock</c>, so frames reach the queue in sequence order.</summary>
    private async Task EnqueueAsync(ulong sequence, byte[] frame, int spikes)
    {
        MeshReceipt? receipt = null;
        try
        {
            receipt = await _transport.SendAsync(_destination, new SpikeBatch(SpikeBatch.MeshChannel, frame)).ConfigureAwait(false);
            lock (_gate)
            {
                _batches += spikes > 0 ? 1 : 0;
                _enqueued += spikes;
                _unacknowledged.Enqueue((sequence, _enqueued));
            }
        }
        catch (Exception)
        {
            // The receiver sees the skipped sequence as a gap; the spikes are counted here, never retried out of order.
            lock (_gate)
            {
                _droppedEnqueue += _destinationLost ? 0 : spikes;
            }
        }

        lock (_gate)
        {
            _lastSent = sequence;
            if (spikes > 0)
            {
                _maxInFlight = Math.Max(_maxInFlight, (long)(_lastSent - _lastAcked));
            }

            // A transport that learns the receipt on the way (grain calls) spares the receipt loop its polling.
            if (receipt is not null)
            {
                ApplyReceipt(receipt);
            }

            Signal(ref _outstanding);
        }
    }

    /// <summary>
    /// Sends an empty frame after the receipt has stood still with frames outstanding: if those frames were lost on the
    /// way (not merely slow), the probe's receipt passes over them and they are counted as lost instead of in flight forever.
    /// </summary>
    private async Task ProbeAsync()
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            ulong sequence;
            lock (_gate)
            {
                // One probe at a time: a receiver that is merely unreachable must not collect a probe per second.
                if (_probe > _lastAcked)
                {
                    return;
                }

                sequence = _probe = ++_assigned;
            }

            await EnqueueAsync(sequence, SpikeFrame.Encode(_sender, sequence, 0, 0, []), 0).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<bool> WaitForCreditAsync()
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_stop.IsCancellationRequested)
                {
                    return false;
                }

                if (_lastSent - _lastAcked < (ulong)_window)
                {
                    return true;
                }

                wait = (_credit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await wait.ConfigureAwait(false);
        }
    }

    private async Task ReceiptLoopAsync()
    {
        var progressAt = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            Task? wait = null;
            lock (_gate)
            {
                // Checked under the lock: DisposeAsync cancels, then signals under it, so this wait cannot miss the stop.
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                if (_lastSent == _lastAcked)
                {
                    wait = (_outstanding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }

            if (wait is not null)
            {
                await wait.ConfigureAwait(false);
                progressAt = Stopwatch.GetTimestamp();
                continue;
            }

            MeshReceipt receipt;
            try
            {
                receipt = await _transport.GetReceiptAsync(_destination, _sender).ConfigureAwait(false);
            }
            catch (Exception)
            {
                await Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
                continue;
            }

            bool relaxed;
            bool stalled;
            lock (_gate)
            {
                if (receipt.LastSequence > _lastAcked)
                {
                    progressAt = Stopwatch.GetTimestamp();
                }

                var inFlight = ApplyReceipt(receipt);
                relaxed = inFlight < (ulong)(_window / 2);
                stalled = inFlight > 0 && Stopwatch.GetElapsedTime(progressAt) > LossProbeAfter;
            }

            if (stalled)
            {
                progressAt = Stopwatch.GetTimestamp();
                await ProbeAsync().ConfigureAwait(false);
            }

            // With room in the window there is no hurry: read receipts about once a millisecond instead of back to back.
            if (relaxed)
            {
                await Delay(IdleReceiptPoll).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Applies what the destination has accepted; returns the frames still in flight. Under <c>_gate</c>.</summary>
    private ulong ApplyReceipt(MeshReceipt receipt)
    {
        if (_destinationLost)
        {
            return 0; // everything unacknowledged was counted as lost with the silo
        }

        // A receipt can only move forward. Once it covers sequence S, every spike enqueued up to S that the receiver did
        // not accept was lost on the way (a memory-stream queue that moved between silos loses its cache).
        _lastAcked = Math.Min(Math.Max(_lastAcked, receipt.LastSequence), _lastSent);
        _delivered = Math.Max(_delivered, receipt.Spikes);
        var enqueuedUpToAcked = -1L;
        while (_unacknowledged.TryPeek(out var frame) && frame.Sequence <= _lastAcked)
        {
            enqueuedUpToAcked = _unacknowledged.Dequeue().Enqueued;
        }

        if (enqueuedUpToAcked >= 0)
        {
            _droppedLost = Math.Max(_droppedLost, enqueuedUpToAcked - _delivered);
        }

        var inFlight = _lastSent - _lastAcked;
        if (inFlight < (ulong)_window)
        {
            Signal(ref _credit);
        }

        return inFlight;
    }

    private async Task Delay(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static (ulong First, ulong Last) TickRange(ReadOnlySpan<Spike> spikes)
    {
        if (spikes.IsEmpty)
        {
            return (0, 0);
        }

        var first = uint.MaxValue;
        var last = 0u;
        foreach (ref readonly var spike in spikes)
        {
            first = Math.Min(first, spike.Tick);
            last = Math.Max(last, spike.Tick);
        }

        return (first, last);
    }
}
