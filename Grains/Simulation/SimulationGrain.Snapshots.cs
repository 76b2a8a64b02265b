using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Network;
using NeuroMesh.Persistence;
using NeuroMesh.Telemetry;
using NeuroMesh.Simulation.Events;

namespace NeuroMesh.Simulation;

/// <summary>
/// Engine snapshots of a run. Every <see cref="Snapshots.SnapshotOptions.EveryCheckpoints"/> checkpoints the shards copy
/// their state (the only time they are held), encode it beside their next windows, and this grain writes the file to the
/// snapshot store in the background; <see cref="RunSnapshotted"/> is logged once the store has it, and the retention policy
/// then deletes the oldest. A rebuild (recovery, Step after a new activation, replay) restores the latest snapshot it can
/// read whose hash agrees with its checkpoint, and replays only the checkpoints after it.
/// </summary>
public sealed partial class SimulationGrain
{
    private readonly Dictionary<long, long> _snapshotVersions = [];
    private Task<RunSnapshotted>? _snapshotWrite;
    private bool _snapshotsUnsupported;

    /// <summary>The tick of the latest logged snapshot at or before <paramref name="tick"/>, or -1.</summary>
    private long LatestSnapshotTick(long tick) => State.Snapshots.LastOrDefault(s => s.Tick <= tick)?.Tick ?? -1;

    /// <inheritdoc />
    public async Task<RunStatus> Rescale(int silos)
    {
        EnsureRunnable("rescale");
        var run = this.GetPrimaryKeyString();
        var spec = NetworkSpec.Parse(State.SpecJson!);
        var active = ActiveSilos().Length;
        if (silos < 1 || silos > active || silos > spec.NeuronCount)
        {
            throw new ArgumentOutOfRangeException(nameof(silos), silos,
                $"run '{run}' can move to 1 to {Math.Min(active, spec.NeuronCount)} silo(s): the cluster has {active} active silo(s) and the network {spec.NeuronCount} neuron(s)");
        }

        if (silos > 1)
        {
            try
            {
                _ = ShardPlan.Create(spec, silos);
            }
            catch (NetworkSpecException e)
            {
                throw new ArgumentException($"The spec cannot run on {silos} silos: {string.Join("; ", e.Errors.Select(x => $"{x.Path}: {x.Message}"))}", nameof(silos));
            }
        }

        // A background run is held at its next checkpoint for the move (not paused in the log), and carries on after it.
        var running = _background;
        if (running is not null)
        {
            _pauseRequested = true;
            await running;
        }

        _busy = true;
        try
        {
            using var activity = NeuroMeshTelemetry.Start("rescale", ("neuromesh.run", run), ("neuromesh.silos", silos));
            await CommitSnapshotAsync(wait: true);
            var shards = await ShardsAtCheckpointAsync();
            var from = shards.Length;
            if (State.Tick > 0 && State.Snapshots.All(s => s.Tick != State.Tick))
            {
                await TakeSnapshotAsync(shards, force: true);
                await CommitSnapshotAsync(wait: true);
            }

            var snapshot = State.Snapshots.LastOrDefault(s => s.Tick == State.Tick)?.Tick ?? -1;
            RaiseEvent(new RunRescaled(State.Tick, from, silos, snapshot));
            await ConfirmEvents();
            var (placed, _) = await RestoreSnapshotAsync(await PlaceAsync(silos), State.Tick, silos);
            await ReplayCheckpointsAsync(placed, State.Tick);
            logger.LogInformation("Run {Run} moved from {From} to {To} silo(s) at tick {Tick} (snapshot {Snapshot})", run, from, silos, State.Tick, snapshot);
        }
        finally
        {
            _busy = false;
        }

        if (running is not null && CarriesOn)
        {
            StartBackground();
        }

        return Status();
    }

    /// <summary>
    /// Copies the shards' state at this checkpoint when one is due (or <paramref name="force"/>), and starts writing it in
    /// the background.
    /// </summary>
    private async Task TakeSnapshotAsync(IRegionShardGrain[] shards, bool force = false)
    {
        var every = snapshotOptions.Value.EveryCheckpoints;
        if ((!force && (every == 0 || State.Checkpoints.Count % every != 0)) || _snapshotsUnsupported || _engineTick != State.Tick)
        {
            return;
        }

        var run = this.GetPrimaryKeyString();
        if (_snapshotWrite is { IsCompleted: false })
        {
            // The previous one is still being written (a slow store): skip this one rather than hold the run.
            logger.LogWarning("Run {Run}: the snapshot due at tick {Tick} is skipped; the previous one is still being written", run, _engineTick);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        ShardStateExport[] parts;
        try
        {
            parts = await Task.WhenAll(shards.Select(s => s.ExportState()));
        }
        catch (NotSupportedException e)
        {
            _snapshotsUnsupported = true;
            logger.LogWarning("Run {Run} takes no engine snapshots on this placement: {Reason}", run, e.Message);
            return;
        }

        var stallMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var tick = _engineTick;
        var hash = SpikeTrainHash.Resume(_hash!.Count, _hash.ExportState());
        var (spec, specHash, codec) = (State.SpecJson!, State.SpecHash, snapshotOptions.Value.Codec);
        _snapshotWrite = WriteSnapshotAsync();

        async Task<RunSnapshotted> WriteSnapshotAsync()
        {
            var sections = await Task.WhenAll(parts.Select(p => shards[p.Index].TakeExport(tick)));
            var (snapshot, bytes) = await Task.Run(() => RunSnapshot.Build(
                run, spec, specHash, tick, hash, codec, [.. parts.Select((p, i) => (p.Lo, p.Hi, sections[i]))]));
            await snapshots.SaveAsync(run, tick, bytes);
            FailPoints.Hit(FailPoints.SnapshotSavedBeforeLogged);
            return new RunSnapshotted(tick, snapshot.Sha256, bytes.Length, parts.Length, stallMs);
        }
    }

    /// <summary>
    /// Logs the snapshot written in the background once the store has it (<paramref name="wait"/>: waiting for it), then
    /// drops the snapshots past the retention policy: logged first, deleted after, so a crash in between leaves only an
    /// unreferenced file. A failed write is logged and the run goes on: its log is complete without it.
    /// </summary>
    private async Task CommitSnapshotAsync(bool wait)
    {
        if (_snapshotWrite is not { } write || (!wait && !write.IsCompleted))
        {
            return;
        }

        _snapshotWrite = null;
        var run = this.GetPrimaryKeyString();
        RunSnapshotted written;
        try
        {
            written = await write;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Run {Run}: writing an engine snapshot failed; recovery uses the previous one", run);
            return;
        }

        RaiseEvent(written);
        await ConfirmEvents();
        metrics.AddSnapshotWritten(written.Bytes);
        _snapshotVersions[written.Tick] = Version;
        var keep = snapshotOptions.Value.Keep;
        // A forked or imported run keeps the snapshot it began from whatever the policy: its replays cannot start before it.
        var droppable = State.Snapshots.Where(s => State.BaseTick == 0 || s.Tick != State.BaseTick).ToArray();
        var drop = keep > 0 && droppable.Length > keep
            ? [.. droppable.Take(droppable.Length - keep).Select(s => s.Tick)]
            : Array.Empty<long>();
        var dropBytes = State.Snapshots.Where(s => drop.Contains(s.Tick)).ToDictionary(s => s.Tick, s => s.Bytes);
        if (drop.Length > 0)
        {
            RaiseEvent(new SnapshotsDropped(drop));
        }

        await ConfirmEvents();
        foreach (var tick in drop)
        {
            try
            {
                await snapshots.DeleteAsync(run, tick);
                metrics.AddSnapshotDeleted(dropBytes[tick]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
            {
                logger.LogWarning(e, "Run {Run}: deleting the snapshot of tick {Tick} failed; it is no longer referenced", run, tick);
            }
        }

        // The log behind the oldest kept snapshot is compacted into a state snapshot (known only for snapshots this activation logged).
        var oldest = State.Snapshots.FirstOrDefault(s => s.Tick != State.BaseTick || State.BaseTick == 0);
        if (drop.Length > 0 && snapshotOptions.Value.CompactLog && oldest is not null && _snapshotVersions.TryGetValue(oldest.Tick, out var through))
        {
            try
            {
                var removed = await CompactLogAsync(through);
                logger.LogDebug("Run {Run}: compacted its log through version {Version} ({Removed} deltas)", run, through, removed);
            }
            catch (Exception e) when (e is DeltaLogException or ArgumentException or InvalidOperationException)
            {
                logger.LogWarning(e, "Run {Run}: compacting its log through version {Version} failed; the log stays whole", run, through);
            }
        }
    }

    /// <summary>
    /// Restores freshly placed shards from the latest usable snapshot at or before <paramref name="toTick"/>: stored, intact
    /// (its SHA-256 is the one logged) and agreeing with the checkpoint of its tick. One that fails is passed over for an
    /// earlier one, on a fresh placement; with none the shards stay at tick 0.
    /// </summary>
    /// <returns>The shards (a new placement when a restore failed half-way) and the snapshot restored, or null.</returns>
    private async Task<(IRegionShardGrain[] Shards, RunSnapshotted? Used)> RestoreSnapshotAsync(IRegionShardGrain[] shards, long toTick, int silos = 0)
    {
        var run = this.GetPrimaryKeyString();
        foreach (var candidate in State.Snapshots.Where(s => s.Tick <= toTick).Reverse().ToArray())
        {
            var checkpoint = State.Checkpoints.FirstOrDefault(c => c.Tick == candidate.Tick);
            try
            {
                var bytes = await snapshots.LoadAsync(run, candidate.Tick);
                var problem = bytes is null ? $"it is missing from the store ({snapshots.Description})" : null;
                var file = bytes is null ? null : RunSnapshot.Parse(bytes);
                problem ??= file!.Sha256 != candidate.Sha256 ? $"its SHA-256 is {file.Sha256}, the log recorded {candidate.Sha256}"
                    : file.Header.SpecHash != State.SpecHash ? "it is of another spec"
                    : checkpoint is null || file.Header.Spikes != checkpoint.Spikes || file.Header.SpikeTrainHash != checkpoint.SpikeTrainHash
                        ? "its spike count or hash disagrees with the checkpoint of its tick"
                    : null;
                if (problem is not null)
                {
                    logger.LogWarning("Run {Run}: the snapshot of tick {Tick} is not used: {Problem}", run, candidate.Tick, problem);
                    continue;
                }

                var hash = file!.ResumeHash();
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(shards.Select(s => s.ImportState(bytes!)));
                _hash?.Dispose();
                (_hash, _engineTick) = (hash, candidate.Tick);
                metrics.AddSnapshotRestored();
                logger.LogInformation("Run {Run}: restored the snapshot of tick {Tick} on {Shards} shard(s) in {Ms:0} ms", run, candidate.Tick, shards.Length, clock.Elapsed.TotalMilliseconds);
                return (shards, candidate);
            }
            catch (Exception e) when (e is SnapshotFormatException or ArgumentException or NotSupportedException or IOException or UnauthorizedAccessException or DbException)
            {
                logger.LogWarning("Run {Run}: restoring the snapshot of tick {Tick} failed: {Reason}", run, candidate.Tick, e.Message);
                shards = await PlaceAsync(silos); // some shards may hold it already: start again from a clean placement
                if (e is NotSupportedException)
                {
                    break; // the engines cannot restore any snapshot
                }
            }
        }

        if (State.BaseTick > 0)
        {
            throw new InvalidOperationException(
                $"Run '{run}' began at tick {State.BaseTick} from a snapshot, and no usable snapshot at or before tick {toTick} is left to rebuild it from (the log's warnings say why each was passed over).");
        }

        return (shards, null);
    }
}
