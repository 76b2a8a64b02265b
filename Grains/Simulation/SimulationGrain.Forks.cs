using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Engine.Snapshots;
using NeuroMesh.Network;
using NeuroMesh.Simulation.Events;

namespace NeuroMesh.Simulation;

/// <summary>
/// Runs that begin from a snapshot: exported as a portable file, imported into a new run, or forked from another run's
/// snapshot with changes to the spec. Such a run's first checkpoint is the snapshot's tick (<see cref="SimulationState.BaseTick"/>),
/// its base snapshot is kept whatever the retention, and its replays start there at the earliest.
/// </summary>
public sealed partial class SimulationGrain
{
    /// <inheritdoc />
    public async Task<byte[]> ExportSnapshot(long tick)
    {
        var run = this.GetPrimaryKeyString();
        if (State.SpecJson is null)
        {
            throw new InvalidOperationException($"Run '{run}' has no spec deployed, so it has no snapshots (is the run id right?).");
        }

        await CommitSnapshotAsync(wait: true);
        var logged = State.Snapshots.FirstOrDefault(s => s.Tick == tick)
            ?? throw new ArgumentException($"run '{run}' has no snapshot of tick {tick}; {Nearest(tick)}", nameof(tick));
        var bytes = await snapshots.LoadAsync(run, tick)
            ?? throw new InvalidOperationException($"run '{run}''s snapshot of tick {tick} is logged but missing from the store ({snapshots.Description})");
        var file = ParseOrThrow(bytes);
        if (file.Sha256 != logged.Sha256)
        {
            throw new InvalidOperationException($"run '{run}''s stored snapshot of tick {tick} has SHA-256 {file.Sha256}; its log recorded {logged.Sha256}");
        }

        return bytes;
    }

    /// <inheritdoc />
    public async Task<RunStatus> Import(byte[] snapshot, int silos = 0)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var file = ParseOrThrow(snapshot);
        var spec = NetworkSpec.Parse(file.SpecJson);
        await BeginFromAsync(file, file.Header.RunId, spec, [], silos);
        return Status();
    }

    /// <inheritdoc />
    public async Task<RunStatus> Fork(string sourceRun, long tick, string? specPatch = null, IReadOnlyList<string>? sets = null, int silos = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceRun);
        if (sourceRun == this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"a run cannot fork itself; give the fork a new run id", nameof(sourceRun));
        }

        var bytes = await GrainFactory.GetGrain<ISimulationGrain>(sourceRun).ExportSnapshot(tick);
        var file = ParseOrThrow(bytes);
        sets ??= [];
        var spec = SpecEdits.Apply(file.SpecJson, specPatch, sets);
        var changes = sets.ToList();
        if (!string.IsNullOrWhiteSpace(specPatch))
        {
            changes.Insert(0, $"merge patch {specPatch}");
        }

        if (spec.ToJson() != NetworkSpec.Parse(file.SpecJson).ToJson())
        {
            // The state must fit the changed network (the same plastic synapses, the same neurons): tried on one engine here,
            // before anything is logged, so a refused fork leaves this run as it was.
            var state = file.DecodeState();
            await Task.Run(() =>
            {
                using var probe = new CpuEngine(spec, new EngineOptions { Threads = 1 });
                probe.ImportState(state);
            });
        }

        await BeginFromAsync(file, sourceRun, spec, [.. changes], silos);
        return Status();
    }

    /// <summary>Logs this new run as beginning from <paramref name="file"/> under <paramref name="spec"/>, with its own copy of the snapshot.</summary>
    private async Task BeginFromAsync(RunSnapshot file, string sourceRun, NetworkSpec spec, string[] changes, int silos)
    {
        var run = this.GetPrimaryKeyString();
        if (State.SpecJson is not null)
        {
            throw new InvalidOperationException($"Run '{run}' already has a spec (hash {State.SpecHash[..12]}…); fork or import into a new run id.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(silos);
        RunAdmission.Check(spec, admission.Value, options.Value.EngineThreads);
        var active = ActiveSilos().Length;
        if (silos > active)
        {
            throw new ArgumentOutOfRangeException(nameof(silos), $"the run asks for {silos} silos but the cluster has {active} active silo(s)");
        }

        var tick = file.Header.Tick;
        if (tick > spec.TotalTicks)
        {
            throw new ArgumentException($"the snapshot is of tick {tick}, past the spec's duration ({spec.TotalTicks} ticks)", nameof(spec));
        }

        _ = file.ResumeHash(); // the hash state must carry on: checked before anything is logged
        var canonical = spec.ToJson();
        var specHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        var (own, bytes) = file.WithRun(run, canonical, specHash);
        await snapshots.SaveAsync(run, tick, bytes);

        RaiseEvent(new SpecDeployed(canonical, specHash, spec.Seed, spec.TotalTicks, silos));
        RaiseEvent(new RunForked(sourceRun, tick, file.Sha256, changes));
        RaiseEvent(new RunCheckpointed(tick, file.Header.Spikes, file.Header.SpikeTrainHash));
        RaiseEvent(new RunSnapshotted(tick, own.Sha256, bytes.Length, file.Sections.Count, 0));
        await ConfirmEvents();
        _neurons = spec.NeuronCount;
        logger.LogInformation("Run {Run} begins at tick {Tick} from run {Source}'s snapshot {Sha} ({Changes} change(s))", run, tick, sourceRun, file.Sha256[..12], changes.Length);
    }

    /// <summary>The ticks of this run's snapshots, nearest to <paramref name="tick"/> first, for an error message.</summary>
    private string Nearest(long tick) => State.Snapshots.Count == 0
        ? "it has none (snapshots are written every NeuroMesh:Snapshots:EveryCheckpoints checkpoints)"
        : $"its snapshots are of ticks {string.Join(", ", State.Snapshots.OrderBy(s => Math.Abs(s.Tick - tick)).Select(s => s.Tick))} (nearest first)";

    private static RunSnapshot ParseOrThrow(byte[] bytes)
    {
        try
        {
            var file = RunSnapshot.Parse(bytes);
            _ = file.DecodeState(); // every section decodes and the sections cover the network
            return file;
        }
        catch (SnapshotFormatException e)
        {
            // The reason is in the message; the inner exception stays here (it has no Orleans codec to cross to the caller).
            throw new ArgumentException($"the snapshot file is refused: {e.Message}", "snapshot");
        }
    }
}
