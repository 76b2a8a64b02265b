using System.Runtime.CompilerServices;

namespace NeuroMesh.Persistence;

/// <summary>
/// A decorator that makes a store misbehave on purpose: latency on every call, transient failures before a write, and
/// lost acknowledgements (the write happened, the caller is told it failed). Faults surface as
/// <see cref="DeltaLogTransientException"/>, the error a retrying caller retries.
/// </summary>
public sealed class FaultInjectingDeltaLogStore : IDeltaLogStore
{
    private readonly IDeltaLogStore _inner;
    private readonly DeltaLogFaultOptions _options;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private long _failuresBeforeWrite;
    private long _failuresAfterWrite;

    /// <summary>Wraps <paramref name="inner"/>; disposing this store disposes it.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public FaultInjectingDeltaLogStore(IDeltaLogStore inner, DeltaLogFaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _inner = inner;
        _options = options;
        _random = new Random(options.Seed);
    }

    /// <summary>How many writes were failed before reaching the inner store.</summary>
    public long FailuresBeforeWrite => Interlocked.Read(ref _failuresBeforeWrite);

    /// <summary>How many writes succeeded in the inner store but were reported to the caller as failed.</summary>
    public long FailuresAfterWrite => Interlocked.Read(ref _failuresAfterWrite);

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(string streamId, long expectedVersion, DeltaBatch batch, CancellationToken cancellationToken = default)
        => WriteAsync(streamId, () => _inner.AppendAsync(streamId, expectedVersion, batch, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task WriteSnapshotAsync(string streamId, DeltaSnapshot snapshot, CancellationToken cancellationToken = default)
        => WriteAsync(streamId, async () =>
        {
            await _inner.WriteSnapshotAsync(streamId, snapshot, cancellationToken);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<DeltaRecord> ReadAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        await foreach (var record in _inner.ReadAsync(streamId, fromVersion, cancellationToken))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async Task<DeltaStreamInfo?> GetStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await _inner.GetStreamAsync(streamId, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DeltaStreamInfo> ListStreamsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        await foreach (var info in _inner.ListStreamsAsync(cancellationToken))
        {
            yield return info;
        }
    }

    /// <inheritdoc />
    public async Task<DeltaSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await _inner.ReadSnapshotAsync(streamId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> TruncateAsync(string streamId, long throughVersion, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        return await _inner.TruncateAsync(streamId, throughVersion, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private async Task<T> WriteAsync<T>(string streamId, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        if (Roll(_options.FailureBeforeWrite))
        {
            Interlocked.Increment(ref _failuresBeforeWrite);
            throw new DeltaLogTransientException(streamId, $"injected fault on stream '{streamId}': the write failed before reaching the store");
        }

        var result = await write();
        if (Roll(_options.FailureAfterWrite))
        {
            Interlocked.Increment(ref _failuresAfterWrite);
            throw new DeltaLogTransientException(streamId, $"injected fault on stream '{streamId}': the write was stored but its acknowledgement was lost");
        }

        return result;
    }

    private Task DelayAsync(CancellationToken cancellationToken)
        => _options.Latency > TimeSpan.Zero ? Task.Delay(_options.Latency, cancellationToken) : Task.CompletedTask;

    private bool Roll(double probability)
    {
        if (probability <= 0)
        {
            return false;
        }

        lock (_randomLock)
        {
            return _random.NextDouble() < probability;
        }
    }
}
