using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;
using Orleans.Serialization;

namespace NeuroMesh.Persistence;

/// <summary>
/// Base of event-sourced grains whose log lives in the <see cref="IDeltaLogStore"/>: every confirmed event is one
/// checksummed delta of the grain's stream, and activation rebuilds the state from the latest snapshot plus the deltas
/// after it. Use it with <c>[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]</c>, override
/// <see cref="JournaledGrain{TState, TEvent}.TransitionState"/> with a switch, and change state only through
/// <c>RaiseEvent</c> followed by <c>ConfirmEvents</c>.
/// </summary>
/// <remarks>
/// Appends are idempotent: the batch id is derived from the stream, the expected version and the events, so when
/// Orleans retries a write whose acknowledgement was lost the store recognises it and nothing is written twice. A write
/// by another activation at the same version (split brain) is a version conflict, reported to Orleans as a failed
/// write, which makes it re-read the log.
/// </remarks>
/// <typeparam name="TState">The grain state; a class with a public parameterless constructor and an Orleans serializer.</typeparam>
/// <typeparam name="TEvent">The event base type; every event has an Orleans serializer.</typeparam>
public abstract class DeltaLogGrain<TState, TEvent> : JournaledGrain<TState, TEvent>, ICustomStorageInterface<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    private IDeltaLogStore? _store;
    private Serializer? _serializer;
    private DeltaLogGrainOptions? _options;
    private NeuroMesh.Telemetry.SiloMetrics? _metrics;

    /// <summary>The grain's stream in the delta log (its grain id).</summary>
    protected string StreamId => this.GetGrainId().ToString();

    private IDeltaLogStore Store => _store ??= ServiceProvider.GetRequiredService<IDeltaLogStore>();

    private NeuroMesh.Telemetry.SiloMetrics? Metrics => _metrics ??= ServiceProvider.GetService<NeuroMesh.Telemetry.SiloMetrics>();

    private Serializer Serializer => _serializer ??= ServiceProvider.GetRequiredService<Serializer>();

    /// <summary>The delta log settings of this silo (<c>NeuroMesh:DeltaLog</c>).</summary>
    protected DeltaLogGrainOptions Options => _options ??= ServiceProvider.GetService<IOptions<DeltaLogGrainOptions>>()?.Value ?? new DeltaLogGrainOptions();

    /// <inheritdoc />
    public async Task<KeyValuePair<int, TState>> ReadStateFromStorage()
    {
        var state = new TState();
        long version = 0;
        var snapshot = await Store.ReadSnapshotAsync(StreamId);
        if (snapshot is not null)
        {
            state = Serializer.Deserialize<TState>(snapshot.Data) ?? throw Undecodable("the snapshot", snapshot.Version);
            version = snapshot.Version;
        }

        long replayed = 0;
        await foreach (var record in Store.ReadAsync(StreamId, version + 1))
        {
            TransitionState(state, Serializer.Deserialize<TEvent>(record.Payload) ?? throw Undecodable($"delta '{record.Type}'", record.Version));
            version = record.Version;
            replayed++;
        }

        Metrics?.AddReplayed(replayed);

        return new KeyValuePair<int, TState>(checked((int)version), state);
    }

    /// <inheritdoc />
    public async Task<bool> ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion)
    {
        if (updates.Count == 0)
        {
            return true;
        }

        var deltas = updates.Select(e => new Delta(e.GetType().Name, Serializer.SerializeToArray(e))).ToArray();
        var batch = new DeltaBatch(BatchId(expectedVersion, deltas), deltas);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();

            // Transient failures are retried here for as long as they last (Orleans would retry for ever too), with the same
            // batch at the same expected version, so a write whose acknowledgement was lost is recognised by the store.
            // Handing one to Orleans would not be safe at any point: it re-reads the log (which then holds the batch) and
            // writes the same events again at the next version, a duplicate.
            var result = await Store.AppendWithRetryAsync(
                StreamId, expectedVersion, batch, maxAttempts: int.MaxValue, firstDelay: TimeSpan.FromMilliseconds(5), maxDelay: TimeSpan.FromSeconds(1));
            await MaybeSnapshot(expectedVersion, result.LastVersion, updates);
            Metrics?.AddAppend(deltas.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            return true;
        }
        catch (DeltaLogVersionConflictException)
        {
            return false;
        }
    }

    private async Task MaybeSnapshot(int expectedVersion, long lastVersion, IReadOnlyList<TEvent> updates)
    {
        var every = Options.SnapshotEvery;
        if (every <= 0 || lastVersion / every == expectedVersion / every)
        {
            return;
        }

        // The confirmed state (at expectedVersion) plus this batch is the state at lastVersion; copy it, never alias it.
        if (Version != expectedVersion || Serializer.Deserialize<TState>(Serializer.SerializeToArray(State)) is not { } state)
        {
            return;
        }

        foreach (var update in updates)
        {
            TransitionState(state, update);
        }

        try
        {
            await Store.WriteSnapshotAsync(StreamId, new DeltaSnapshot(lastVersion, Serializer.SerializeToArray(state)));
        }
        catch (Exception e) when (e is DeltaLogException or ArgumentException or InvalidOperationException)
        {
            // A snapshot only shortens replay; the deltas are already confirmed. Log and carry on.
            ServiceProvider.GetService<ILogger<DeltaLogGrain<TState, TEvent>>>()?.LogWarning(e, "Snapshot of {Stream} at version {Version} failed", StreamId, lastVersion);
        }
    }

    /// <summary>
    /// Bounds the grain's log: writes a snapshot of the confirmed state, then removes the deltas through
    /// <paramref name="throughVersion"/> (at most the confirmed version). In that order, a crash in between leaves the
    /// snapshot and every delta, which opens and replays as before.
    /// </summary>
    /// <returns>How many deltas were removed.</returns>
    protected async Task<long> CompactLogAsync(long throughVersion)
    {
        var version = Version;
        await Store.WriteSnapshotAsync(StreamId, new DeltaSnapshot(version, Serializer.SerializeToArray(State)));
        FailPoints.Hit(FailPoints.CompactAfterSnapshot);
        return await Store.TruncateAsync(StreamId, Math.Min(throughVersion, version));
    }

    private InvalidDataException Undecodable(string what, long version)
        => new($"{what} of stream {StreamId} at version {version} decoded to nothing; the log cannot be replayed.");

    private Guid BatchId(int expectedVersion, IReadOnlyList<Delta> deltas)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(StreamId));
        hash.AppendData(BitConverter.GetBytes(expectedVersion));
        foreach (var delta in deltas)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(delta.Type));
            hash.AppendData(delta.Payload.Span);
        }

        return new Guid(hash.GetHashAndReset().AsSpan(0, 16));
    }
}
