using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using NeuroMesh.Engine;
using NeuroMesh.Cluster;
using NeuroMesh.Engine.Sharding;
using NeuroMesh.Network;
using NeuroMesh.Persistence;
using NeuroMesh.Simulation.Events;
using NeuroMesh.Telemetry;
using Orleans.Concurrency;
using Orleans.EventSourcing;
using Orleans.Providers;
using Orleans.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroMesh.Hosting;
using NeuroMesh.Snapshots;

namespace NeuroMesh.Simulation;

/// <summary>
/// A simulation run, event-sourced in the delta log and simulated by region shards: one <see cref="IRegionShardGrain"/>
/// per silo, each owning a contiguous range of neurons, exchanging spikes in lockstep windows over the spike streams. Every
/// few checkpoints the engines' state is written to the snapshot store (see SimulationGrain.Snapshots.cs); the run is
/// rebuilt from its latest snapshot, or from tick 0, by replaying the ticks after it (the engines are deterministic and the
/// union of the shards' spike trains is bit-identical to one engine's), and every logged checkpoint hash after that point
/// is checked on the way, so a run that would diverge fails loudly at its first diverging checkpoint.
/// </summary>
/// <remarks>Reentrant so that <see cref="GetStatus"/>, <see cref="Pause"/> and <see cref="Stop"/> answer while a background run
/// awaits its current window; all state changes happen on the grain's turns.</remarks>
[Reentrant]
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed partial class SimulationGrain(
    IClusterMembershipService membership, SiloMetrics metrics, IOptions<MeshClusterOptions> options, ISnapshotStore snapshots,
    IOptions<SnapshotOptions> snapshotOptions, IOptions<AdmissionOptions> admission, ILogger<SimulationGrain> logger) : DeltaLogGrain<SimulationState, SimulationEvent>, ISimulationGrain
{
    /// <summary>Ticks per checkpoint while running in the background.</summary>
    public const int Window = 1000;

    /// <summary>Recoveries in a row for one advance (each after a silo of the placement left) before the failure is handed to the caller.</summary>
    private const int MaxRecoveries = 3;

    // The reason of a RunPaused that records a failure.
    private const string FailedPrefix = "failed: ";

    private IRegionShardGrain[]? _shards;
    private ShardInfo[] _placement = [];
    private ShardInfo[] _finalPlacement = [];
    private SiloAddress[] _placedSilos = [];
    private SpikeTrainHash? _hash;
    private long _engineTick;
    private Task? _background;
    private bool _pauseRequested;
    private bool _deactivating;
    private bool _busy;
    private long _generation;
    private CancellationTokenSource? _pacing;
    private int _neurons = -1;
    private double? _dt;
    private IAsyncStream<SpikeTapBatch>? _tap;
    private IGrainTimer? _resume;
    private long _tapBatches;
    private double _checkpointSeconds;
    private double _logSeconds;
    private long _tapFailures;

    /// <inheritdoc />
    public async Task<RunStatus> Deploy(string specJson, int silos = 0)
    {
        ArgumentNullException.ThrowIfNull(specJson);
        ArgumentOutOfRangeException.ThrowIfNegative(silos);
        using var activity = NeuroMeshTelemetry.Start("deploy", ("neuromesh.run", this.GetPrimaryKeyString()), ("neuromesh.silos", silos));
        if (State.SpecJson is not null)
        {
            throw new InvalidOperationException($"Run '{this.GetPrimaryKeyString()}' already has a spec (hash {State.SpecHash[..12]}…); deploy to a new run id.");
        }

        NetworkSpec spec;
        try
        {
            spec = NetworkSpec.Parse(specJson);
        }
        catch (NetworkSpecException e)
        {
            throw new ArgumentException($"The spec is invalid: {string.Join("; ", e.Errors.Select(x => $"{x.Path}: {x.Message}"))}", nameof(specJson));
        }

        RunAdmission.Check(spec, admission.Value, options.Value.EngineThreads);
        var active = ActiveSilos().Length;
        if (silos > active)
        {
            throw new ArgumentOutOfRangeException(nameof(silos), $"the run asks for {silos} silos but the cluster has {active} active silo(s)");
        }

        if (silos > spec.NeuronCount)
        {
            throw new ArgumentOutOfRangeException(nameof(silos), $"the run asks for {silos} silos but the network has only {spec.NeuronCount} neuron(s); each silo needs at least one");
        }

        if (silos > 1)
        {
            try
            {
                _ = ShardPlan.Create(spec, silos);
            }
            catch (NetworkSpecException e)
            {
                throw new ArgumentException($"The spec cannot run on {silos} silos: {string.Join("; ", e.Errors.Select(x => $"{x.Path}: {x.Message}"))}", nameof(specJson));
            }
        }

        var canonical = spec.ToJson();
        RaiseEvent(new SpecDeployed(canonical, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), spec.Seed, spec.TotalTicks, silos));
        await ConfirmEvents();
        _neurons = spec.NeuronCount;
        return Status();
    }
    /// <inheritdoc />
    public Task<RunStatus> Inject(IReadOnlyList<ExternalInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureRunnable("inject into");
        if (_background is not null)
        {
            throw new InvalidOperationException($"Cannot inject into run '{this.GetPrimaryKeyString()}' while it runs in the background; pause it first, so that the inputs' ticks are still ahead.");
        }

        return ScheduleAsync(inputs, NetworkSpec.Parse(State.SpecJson!));
    }

    /// <summary>Checks <paramref name="inputs"/> against the run's <paramref name="spec"/> and logs them all, or refuses them all.</summary>
    private async Task<RunStatus> ScheduleAsync(IReadOnlyList<ExternalInput> inputs, NetworkSpec spec)
    {
        _neurons = spec.NeuronCount;
        var rewardTargets = inputs.Any(i => i?.Channel == Spikes.SpikeType.Modulatory) ? spec.RewardTargets() : [];
        var problems = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (input is null)
            {
                problems.Add($"input {i} is null");
            }
            else if (input.Tick < State.Tick || input.Tick >= State.TotalTicks)
            {
                problems.Add($"input {i}: tick {input.Tick} is outside [{State.Tick}, {State.TotalTicks}) (the run is at tick {State.Tick}; the past cannot change)");
            }
            else if ((uint)input.Neuron >= (uint)_neurons)
            {
                problems.Add($"input {i}: neuron {input.Neuron} is not in the network (0..{_neurons - 1})");
            }
            else if (!double.IsFinite(input.Weight))
            {
                problems.Add($"input {i}: the weight must be a finite number (got {input.Weight})");
            }
            else if (input.Channel is not (Spikes.SpikeType.Excitatory or Spikes.SpikeType.Inhibitory or Spikes.SpikeType.Modulatory))
            {
                problems.Add($"input {i}: channel {input.Channel} is not Excitatory, Inhibitory or Modulatory");
            }
            else if (input.Channel == Spikes.SpikeType.Modulatory && !rewardTargets.Any(t => input.Neuron >= t.First && input.Neuron < t.End))
            {
                // A reward acts only through the eligibility of the target's incoming R-STDP synapses (docs/model-semantics.md).
                problems.Add(rewardTargets.Count == 0
                    ? $"input {i}: a modulatory input (a reward) needs reward-modulated (R-STDP) synapses, and run '{this.GetPrimaryKeyString()}' has none"
                    : $"input {i}: neuron {input.Neuron} receives no R-STDP synapse, so a reward there would change nothing; rewards go to {string.Join(", ", rewardTargets.Select(t => $"{t.Population} ({t.First}..{t.End - 1})"))}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"No input was scheduled: {string.Join("; ", problems)}", nameof(inputs));
        }

        if (inputs.Count > 0)
        {
            RaiseEvent(new InputsScheduled([.. inputs]));
            await ConfirmEvents();
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<RunStatus> Reward(double amount, string? population = null, long tick = -1)
    {
        EnsureRunnable("reward");
        if (!double.IsFinite(amount) || amount == 0)
        {
            throw new ArgumentException($"A reward's amount must be a finite number other than 0 (got {amount}).", nameof(amount));
        }

        var spec = NetworkSpec.Parse(State.SpecJson!);
        var targets = spec.RewardTargets();
        if (targets.Count == 0)
        {
            throw new ArgumentException($"Run '{this.GetPrimaryKeyString()}' has no reward-modulated (R-STDP) synapses, so a reward would change nothing.", nameof(amount));
        }

        if (population is not null)
        {
            if (spec.Populations.All(p => p.Name != population))
            {
                throw new ArgumentException($"Run '{this.GetPrimaryKeyString()}' has no population '{population}'; its populations are {string.Join(", ", spec.Populations.Select(p => p.Name))}.", nameof(population));
            }

            targets = [.. targets.Where(t => t.Population == population)];
            if (targets.Count == 0)
            {
                throw new ArgumentException($"Population '{population}' receives no R-STDP synapse, so a reward there would change nothing; rewards go to {string.Join(", ", spec.RewardTargets().Select(t => t.Population))}.", nameof(population));
            }
        }

        if (_background is not null)
        {
            throw new InvalidOperationException($"Cannot reward run '{this.GetPrimaryKeyString()}' while it runs in the background; pause it first, so that the reward's tick is still ahead.");
        }

        var at = tick < 0 ? State.Tick : tick;
        return ScheduleAsync([.. targets.SelectMany(t => Enumerable.Range(t.First, t.End - t.First)).Select(n => new ExternalInput(at, n, amount, Spikes.SpikeType.Modulatory))], spec);
    }

    /// <inheritdoc />
    public async Task<RunStatus> Place()
    {
        EnsureRunnable("place");
        if (_background is not null)
        {
            return Status();
        }

        _busy = true;
        try
        {
            await ShardsAtCheckpointAsync();
        }
        finally
        {
            _busy = false;
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<RunStatus> Step(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticks);
        EnsureRunnable("step");
        if (_background is not null)
        {
            throw new InvalidOperationException($"Run '{this.GetPrimaryKeyString()}' is running in the background; pause it before stepping.");
        }

        _busy = true;
        using var activity = NeuroMeshTelemetry.Start("run", ("neuromesh.run", this.GetPrimaryKeyString()), ("neuromesh.ticks", ticks));
        try
        {
            await AdvanceAsync(Math.Min(ticks, State.TotalTicks - State.Tick));
        }
        catch (Exception e) when (!_deactivating)
        {
            await RecordFailureAsync(e, "step");
            throw;
        }
        finally
        {
            _busy = false;
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<RunStatus> Start(double pace = 0)
    {
        if (!(pace is >= 0 and <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(pace), pace, $"Run '{this.GetPrimaryKeyString()}': pace must be in [0, 1000] simulated seconds per second (0: as fast as possible).");
        }

        EnsureRunnable("start");
        _generation++;
        if (_background is { } stopping && _pauseRequested)
        {
            // A pause is stopping the background run (promptly: it cuts the pacing wait short). This later start wins:
            // let that run end, then start again; the pause sees the newer start and logs nothing.
            await stopping;
            EnsureRunnable("start");
        }

        if (_background is null)
        {
            // Listed, then logged, before it runs: an activation that replaces this one carries on with the run, and a silo
            // loss wakes the listed runs, so that one whose grain went with a crashed silo gets its next activation.
            if (!State.Started || State.Pace != pace)
            {
                await GrainFactory.GetGrain<IStartedRunsGrain>(0).Add(this.GetPrimaryKeyString());
                RaiseEvent(new RunStarted(pace));
                await ConfirmEvents();
            }

            // Checked again after the awaits: a concurrent start may have started it, or a stop ended the run.
            if (_background is null && !State.Stopped)
            {
                StartBackground();
            }
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<RunStatus> Pause() => PauseAsync(yieldToLaterStart: true);

    /// <summary>
    /// Stops the background run (cutting a paced wait short) and logs the pause. A start that comes in while this waits
    /// wins when <paramref name="yieldToLaterStart"/> (a pause); otherwise (a stop) it is stopped again.
    /// </summary>
    private async Task<RunStatus> PauseAsync(bool yieldToLaterStart)
    {
        var generation = _generation;
        while (true)
        {
            _pauseRequested = true;
            _pacing?.Cancel();
            if (_background is { } running)
            {
                await running;
            }

            await CommitSnapshotAsync(wait: true);
            if (yieldToLaterStart && generation != _generation)
            {
                return Status();
            }

            // A start that came in before this pause may have started its background run while this one waited.
            if (_background is null)
            {
                break;
            }
        }

        if (State.Started)
        {
            RaiseEvent(new RunPaused(State.Tick, "paused"));
            await ConfirmEvents();
            await UnlistAsync();
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<RunStatus> Stop()
    {
        await PauseAsync(yieldToLaterStart: false);
        if (!State.Stopped && State.SpecJson is not null)
        {
            RaiseEvent(new RunStopped(State.Tick));
            await ConfirmEvents();
            await ReleaseShardsAsync();
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<RunStatus> GetStatus() => Task.FromResult(Status());

    /// <inheritdoc />
    public Task<string?> GetSpec() => Task.FromResult(State.SpecJson);

    /// <inheritdoc />
    public async Task<WeightSample> SampleWeights(int max = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 1_000_000);
        if (_shards is null)
        {
            return new WeightSample();
        }

        var shards = await Task.WhenAll(_shards.Select(s => s.SampleWeights(max)));
        var total = shards.Sum(s => s.Synapses);
        return new WeightSample
        {
            Synapses = total,
            Plastic = shards.Any(s => s.Plastic),
            Weights = [.. shards.SelectMany(s => Strided(s.Weights, total == 0 ? 0 : (int)Math.Ceiling((double)max * s.Synapses / total)))],
        };
    }

    /// <inheritdoc />
    public async Task<ReplayReport> Replay(long toTick = -1, int silos = 0, bool fromSnapshot = true)
    {
        var run = this.GetPrimaryKeyString();
        if (State.SpecJson is null)
        {
            throw new InvalidOperationException($"Cannot replay run '{run}': no spec is deployed (is the run id right?).");
        }

        if (_background is { } finishing && State.Tick >= State.TotalTicks)
        {
            await finishing; // a finished run's background only frees its shards now
        }

        if (_busy || _background is not null)
        {
            throw new InvalidOperationException($"Cannot replay run '{run}': it is {(_busy ? "stepping" : "running in the background")}; pause it first.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(silos);
        var target = toTick < 0 ? State.Tick : toTick;
        if (target < State.BaseTick)
        {
            throw new ArgumentOutOfRangeException(nameof(toTick), $"run '{run}' began at tick {State.BaseTick} from run '{State.Origin?.SourceRun}''s snapshot; replay that run for earlier ticks (asked for tick {toTick})");
        }

        if (target > State.Tick)
        {
            throw new ArgumentOutOfRangeException(nameof(toTick), $"run '{run}' is logged up to tick {State.Tick}; a replay cannot go past its log (asked for tick {toTick})");
        }

        _busy = true;
        using var activity = NeuroMeshTelemetry.Start("replay", ("neuromesh.run", run), ("neuromesh.to_tick", target));
        try
        {
            var clock = Stopwatch.StartNew();
            await CommitSnapshotAsync(wait: true);
            var shards = await PlaceAsync(silos);
            RunSnapshotted? restored = null;
            if (fromSnapshot || State.BaseTick > 0)
            {
                // From the start of a forked or imported run is from the snapshot it began with.
                (shards, restored) = await RestoreSnapshotAsync(shards, fromSnapshot ? target : State.BaseTick, silos);
            }

            var fromTick = _engineTick;
            var verified = await ReplayCheckpointsAsync(shards, target);
            if (_engineTick < target)
            {
                await AdvanceShardsAsync(shards, _hash!, target - _engineTick);
            }

            var report = new ReplayReport
            {
                RunId = run,
                Tick = _engineTick,
                Spikes = _hash!.Count,
                SpikeTrainHash = _hash.Current(),
                Verified = verified,
                Silos = shards.Length,
                WallSeconds = clock.Elapsed.TotalSeconds,
                LoggedTick = State.Tick,
                FromTick = fromTick,
                Snapshot = restored?.Sha256 ?? string.Empty,
            };
            if (State.Stopped || State.Tick >= State.TotalTicks)
            {
                await ReleaseShardsAsync(); // nothing can continue from here
            }

            return report;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (CarriesOn)
        {
            // Started and never paused: an earlier activation was running it when it went. Carry on once this activation
            // is up (a one-shot timer, so the run does not hold the activation's start).
            logger.LogWarning("Run {Run} was running when its previous activation went; it carries on from its checkpoint of tick {Tick}", this.GetPrimaryKeyString(), State.Tick);
            _resume = this.RegisterGrainTimer(() =>
            {
                _resume?.Dispose();
                if (_background is null && CarriesOn)
                {
                    StartBackground();
                }

                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        (_deactivating, _pauseRequested) = (true, true);

        // Shards in the middle of a window answer a release only when the window ends (or times out): ask, but do not hold
        // the deactivation (and every call queued behind it) for that long. A shard that misses it is released when its
        // window ends.
        var release = ReleaseShardsAsync();
        await Task.WhenAny(release, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
        if (CarriesOn)
        {
            // A started run must not wait for someone to call it: this call reaches the next activation, which carries on.
            this.AsReference<ISimulationGrain>().GetStatus().Ignore();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ShardInfo>> GetShards()
        => _shards is null ? _finalPlacement : await Task.WhenAll(_shards.Select(s => s.GetInfo()));

    // n of the shard's sample, evenly over it (the sample is in synapse order, so its head is the low source rows only).
    private static IEnumerable<double> Strided(double[] weights, int n)
        => Enumerable.Range(0, Math.Min(n, weights.Length)).Select(k => weights[(long)k * weights.Length / Math.Min(n, weights.Length)]);

    /// <summary>Spikes sent by some shard that its peers have not received yet (still on the streams).</summary>
    private static long InFlight(ShardInfo[] infos) => infos.Sum(i => i.SpikesSent) - infos.Sum(i => i.SpikesReceived + i.SpikesPending);

    /// <summary>The shards as placed, or as they stood when the run finished.</summary>
    private ShardInfo[] Placement => _shards is null ? _finalPlacement : _placement;

    /// <inheritdoc />
    protected override void TransitionState(SimulationState state, SimulationEvent @event)
    {
        switch (@event)
        {
            case SpecDeployed deployed:
                state.SpecJson = deployed.SpecJson;
                state.SpecHash = deployed.SpecHash;
                state.Seed = deployed.Seed;
                state.TotalTicks = deployed.TotalTicks;
                state.Silos = deployed.Silos;
                break;
            case RunCheckpointed checkpoint:
                // A checkpoint logged twice is one checkpoint. It happens when a crash loses the acknowledgement of a write
                // that did land, and the run, recovering from its last confirmed checkpoint, runs the window again: the
                // same tick, spikes and hash (the chaos soak found one). The log keeps both; the run counts one.
                if (state.Checkpoints.Count > 0 && state.Checkpoints[^1] is var last
                    && (last.Tick, last.Spikes, last.SpikeTrainHash) == (checkpoint.Tick, checkpoint.Spikes, checkpoint.SpikeTrainHash))
                {
                    state.DuplicateCheckpoints++;
                    break;
                }

                state.Checkpoints.Add(checkpoint);
                state.Error = null;
                break;
            case WeightsChanged changed:
                state.WeightChanges += changed.Diff.Count;
                break;
            case InputsScheduled scheduled:
                state.Inputs.AddRange(scheduled.Inputs);
                break;
            case RunStopped:
                state.Stopped = true;
                break;
            case RunRecovered recovered:
                state.Recoveries.Add(recovered);
                break;
            case RunStarted started:
                (state.Started, state.Pace, state.Error) = (true, started.Pace, null);
                break;
            case RunPaused paused:
                state.Started = false;
                if (paused.Reason.StartsWith(FailedPrefix, StringComparison.Ordinal))
                {
                    state.Error = paused.Reason[FailedPrefix.Length..];
                }

                break;
            case RunSnapshotted snapshotted:
                state.Snapshots.Add(snapshotted);
                break;
            case RunForked forked:
                (state.BaseTick, state.Origin) = (forked.Tick, forked);
                break;
            case RunRescaled rescaled:
                state.Silos = rescaled.Silos;
                break;
            case SnapshotsDropped dropped:
                state.Snapshots.RemoveAll(s => dropped.Ticks.Contains(s.Tick));
                break;
            default:
                throw new InvalidOperationException($"Unknown simulation event {@event.GetType().Name}.");
        }
    }

    /// <summary>The log says the run was started and not paused, stopped or finished, and this node lets such runs carry on.</summary>
    private bool CarriesOn => State.Started && !State.Stopped && State.Tick < State.TotalTicks && options.Value.ResumeStartedRuns;

    /// <summary>
    /// Takes the run off the started-runs list once it no longer carries on. A failure is only logged: a run left listed
    /// costs one status call after the next silo loss, which then takes it off.
    /// </summary>
    private async Task UnlistAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IStartedRunsGrain>(0).Remove(this.GetPrimaryKeyString());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Run {Run}: taking it off the started-runs list failed", this.GetPrimaryKeyString());
        }
    }

    private void StartBackground()
    {
        _pauseRequested = false;
        _pacing?.Dispose();
        _pacing = new CancellationTokenSource();
        _background = RunInBackground(State.Pace, _pacing.Token);
    }

    private async Task RunInBackground(double pace, CancellationToken pausing)
    {
        using var activity = NeuroMeshTelemetry.Start("run", ("neuromesh.run", this.GetPrimaryKeyString()), ("neuromesh.background", true));
        try
        {
            // Paced: slices of 20 ms simulated time, each released no earlier than the wall clock allows.
            var dt = Dt();
            var slice = pace > 0 ? Math.Max(1, (long)Math.Round(20 / dt)) : Window;
            var clock = Stopwatch.StartNew();
            var startTick = State.Tick;
            while (!_pauseRequested && State.Tick < State.TotalTicks)
            {
                await AdvanceAsync(Math.Min(slice, State.TotalTicks - State.Tick));
                if (pace > 0)
                {
                    var due = TimeSpan.FromMilliseconds((State.Tick - startTick) * dt / pace);
                    if (due > clock.Elapsed)
                    {
                        // A pause cancels the wait: at a slow pace one slice can be minutes of wall time.
                        try
                        {
                            await Task.Delay(due - clock.Elapsed, pausing);
                        }
                        catch (OperationCanceledException) when (pausing.IsCancellationRequested)
                        {
                            // Paused: the loop ends at its condition.
                        }
                    }
                }
            }

            if (State.Tick >= State.TotalTicks)
            {
                await UnlistAsync();
            }
        }
        catch (Exception e) when (!_deactivating)
        {
            // Nobody awaits a started run: say why it stopped, and log it as paused so that no later activation carries on
            // into the same failure (the run stays at its last checkpoint; Start or Step rebuilds it from its log).
            await RecordFailureAsync(e, "background run");
            await UnlistAsync();
        }
        catch (Exception) when (_deactivating)
        {
            // The activation is going (its shards were released under the window); the next one carries on from the log.
        }
        finally
        {
            _background = null;
        }
    }

    /// <summary>
    /// Logs why a step or the background run failed, as a <see cref="RunPaused"/> whose reason starts with
    /// <see cref="FailedPrefix"/>: the run's status shows it (<see cref="RunStatus.Error"/>) until the next checkpoint or start.
    /// </summary>
    private async Task RecordFailureAsync(Exception e, string what)
    {
        logger.LogError(e, "Run {Run}: its {What} failed at tick {Tick}", this.GetPrimaryKeyString(), what, State.Tick);
        try
        {
            RaiseEvent(new RunPaused(State.Tick, $"{FailedPrefix}{what} failed at tick {State.Tick}: {Reason(e)}"));
            await ConfirmEvents();
        }
        catch (Exception logFailure)
        {
            logger.LogError(logFailure, "Run {Run}: logging that its {What} failed failed too", this.GetPrimaryKeyString(), what);
        }
    }

    // What went wrong, in words: the message of the innermost cause that has one (grain calls and Task.WhenAll wrap them).
    private static string Reason(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            e = aggregate.InnerExceptions[0];
        }

        return e switch
        {
            OutOfMemoryException => "out of memory (the network is larger than this node can hold)",

            // A spec error found only when the engine is built (an unregistered custom filter) names its JSON path.
            NetworkSpecException { Errors.Count: > 0 } spec => string.Join("; ", spec.Errors.Select(x => x.ToString())),
            _ => e.Message.Split('\n')[0].Trim(),
        };
    }

    /// <summary>
    /// Advances every shard by <paramref name="ticks"/> and records a checkpoint of the merged spike train. When a silo of
    /// the placement leaves the cluster, the run recovers by itself (in Start mode as in Step): the window in progress is
    /// dropped (pause), the run is placed again on the silos left and rebuilt to its last checkpoint, every checkpoint hash
    /// checked on the way (roll back and re-place), the recovery is logged, and the same ticks are run again (resume).
    /// </summary>
    private async Task AdvanceAsync(long ticks)
    {
        for (var recoveries = 0; ; recoveries++)
        {
            try
            {
                await AdvanceOnceAsync(ticks);
                return;
            }
            catch (Exception e) when (recoveries < MaxRecoveries && DeviceLost(e) is { } device)
            {
                // A shard's device failed: its silo's GPU worker now places shards on CpuEngine, so the run rolls back to
                // its last checkpoint (replayed there, every checkpoint verified) and runs the same ticks again.
                logger.LogWarning("Run {Run}: the device of silo {Silo} failed at the window from tick {Tick}; rolling back to the checkpoint and falling back to CpuEngine", this.GetPrimaryKeyString(), device.Silo, State.Tick);
                RaiseEvent(new RunRecovered(State.Tick, [], $"GPU device of silo {device.Silo} lost, fell back to CpuEngine: {device.Message}", LatestSnapshotTick(State.Tick)));
                await ConfirmEvents();
            }
            catch (Exception e) when (recoveries < MaxRecoveries && LostSilos() is { Length: > 0 } lost)
            {
                RaiseEvent(new RunRecovered(State.Tick, lost, $"{e.GetType().Name}: {e.Message}", LatestSnapshotTick(State.Tick)));
                await ConfirmEvents();
                await UntilGoneAsync(_placedSilos.Where(s => lost.Contains(s.ToParsableString())).ToArray());
            }
        }
    }

    /// <summary>
    /// Waits (at most the window timeout) until <paramref name="silos"/> are dead to the cluster, not only no longer
    /// active: a silo still shutting down keeps its grain directory partition and the activations it hosts (stream queue
    /// grains among them) until it is dead, and a placement made in between can find its traffic held there. A crashed silo
    /// is declared dead at once, so this waits only for a shutdown in progress.
    /// </summary>
    private async Task UntilGoneAsync(SiloAddress[] silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(options.Value.WindowTimeoutSeconds);
        while (silos.Any(s => membership.CurrentSnapshot.GetSiloStatus(s) is not (SiloStatus.Dead or SiloStatus.None)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>The device failure in <paramref name="e"/> (or in what it wraps), if any.</summary>
    private static GpuDeviceLostException? DeviceLost(Exception e) => e switch
    {
        GpuDeviceLostException lost => lost,
        AggregateException all => all.InnerExceptions.Select(DeviceLost).FirstOrDefault(d => d is not null),
        { InnerException: { } inner } => DeviceLost(inner),
        _ => null,
    };

    /// <summary>The silos of the latest placement that are no longer active members.</summary>
    private string[] LostSilos()
    {
        var active = ActiveSilos();
        return [.. _placedSilos.Where(s => !active.Contains(s)).Select(s => s.ToParsableString())];
    }

    private async Task AdvanceOnceAsync(long ticks)
    {
        if (ticks <= 0)
        {
            return;
        }

        var shards = await ShardsAtCheckpointAsync();
        var hash = _hash!;
        var from = _engineTick;
        var (spikes, weights) = await AdvanceShardsAsync(shards, hash, ticks);
        using (NeuroMeshTelemetry.Start("checkpoint", ("neuromesh.run", this.GetPrimaryKeyString()), ("neuromesh.tick", _engineTick), ("neuromesh.spikes", hash.Count)))
        {
            if (weights.Count > 0)
            {
                RaiseEvent(new WeightsChanged(_engineTick, weights));
            }

            var digesting = Stopwatch.GetTimestamp();
            RaiseEvent(new RunCheckpointed(_engineTick, hash.Count, hash.Current(), weights.Digest()));
            var logging = Stopwatch.GetTimestamp();
            _checkpointSeconds += Stopwatch.GetElapsedTime(digesting, logging).TotalSeconds;
            await ConfirmEvents();
            _logSeconds += Stopwatch.GetElapsedTime(logging).TotalSeconds;
        }

        await CommitSnapshotAsync(wait: false);
        await TakeSnapshotAsync(shards);
        await PublishTapAsync(from, spikes);
        if (State.Tick >= State.TotalTicks)
        {
            await CommitSnapshotAsync(wait: true); // its sections are read from the shards, which are released next
            // Finished: nothing will run on these engines again, so free them and their silos' channels now, once the
            // last window's frames have landed (they are counted as received there, so the accounting closes).
            var infos = await Task.WhenAll(shards.Select(s => s.GetInfo()));
            for (var deadline = DateTime.UtcNow.AddSeconds(10); InFlight(infos) > 0 && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(5);
                infos = await Task.WhenAll(shards.Select(s => s.GetInfo()));
            }

            _finalPlacement = infos;
            await ReleaseShardsAsync();
        }
    }

    /// <summary>
    /// Runs the shards in lockstep, appends their merged spikes, in (tick, neuron) order, to <paramref name="hash"/>, and
    /// returns them with the plastic weights that changed (the shards' diffs joined in shard order, which is neuron order).
    /// </summary>
    private async Task<(SpikeRecord[] Spikes, PlasticWeightDiff Weights)> AdvanceShardsAsync(IRegionShardGrain[] shards, SpikeTrainHash hash, long ticks)
    {
        ShardAdvance[] results;
        try
        {
            var from = _engineTick;
            var inputs = State.Inputs.Where(i => i.Tick >= from && i.Tick < from + ticks).ToArray();
            results = await WatchPlacementAsync([.. shards.Select(s => s.Advance(from, ticks, inputs))], from);
        }
        catch (Exception failure)
        {
            // A shard that failed or timed out leaves the placement unusable; it is rebuilt by replay (in this call when a silo
            // was lost, see AdvanceAsync; otherwise by the next call). After a silo loss the survivors are still waiting for
            // the lost peer (until their window timeout), so their release is not awaited: the new placement uses a new
            // epoch and never meets them.
            var release = ReleaseShardsAsync();
            if (LostSilos().Length == 0 && DeviceLost(failure) is null)
            {
                await release;
            }

            throw;
        }

        if (!ReferenceEquals(hash, _hash))
        {
            // The placement was released while its window ran (a deactivation, or a replay placed afresh): these spikes
            // belong to no current placement, and counting them would log a checkpoint the run never reached.
            throw new InvalidOperationException($"run '{this.GetPrimaryKeyString()}': its placement was released during the window from tick {_engineTick}");
        }

        // Each shard's keys are (tick << 32 | neuron), so one sort of their union is the (tick, neuron) order of one engine.
        var merging = Stopwatch.GetTimestamp();
        var merged = results.SelectMany(r => r.Spikes).ToArray();
        Array.Sort(merged);
        var records = new SpikeRecord[merged.Length];
        for (var i = 0; i < merged.Length; i++)
        {
            records[i] = new SpikeRecord(merged[i] >> 32, (int)(merged[i] & 0xFFFFFFFF));
        }

        hash.Append(records);
        _recording.Append(_engineTick, ticks, merged);
        _engineTick += ticks;
        var ordered = results.OrderBy(r => r.Index).Select(r => r.Weights).ToArray();
        var weights = PlasticWeightDiff.Concat(ordered, ordered.Length == 0 ? 0 : ordered[0].FixedShift);
        _checkpointSeconds += Stopwatch.GetElapsedTime(merging).TotalSeconds;
        return (records, weights);
    }

    /// <summary>
    /// Publishes a confirmed advance's spikes on the run's tap. The tap is a live view: a failure to publish is logged and
    /// counted in <see cref="RunStatus.TapFailures"/>, never a failure of the run, whose record is its log.
    /// </summary>
    private async Task PublishTapAsync(long from, SpikeRecord[] spikes)
    {
        try
        {
            _tap ??= this.GetStreamProvider(SpikeTaps.ProviderName).GetStream<SpikeTapBatch>(Orleans.Runtime.StreamId.Create(SpikeTaps.Namespace, this.GetPrimaryKeyString()));
            foreach (var (first, end, start, count) in SpikeTapChunks.Split(from, _engineTick, spikes))
            {
                var ticks = new long[count];
                var neurons = new int[count];
                for (var i = 0; i < count; i++)
                {
                    (ticks[i], neurons[i]) = (spikes[start + i].Tick, spikes[start + i].Neuron);
                }

                await _tap.OnNextAsync(new SpikeTapBatch(this.GetPrimaryKeyString(), first, end, Dt(), ticks, neurons));
                _tapBatches++;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _tapFailures++;
            logger.LogWarning(e, "Run {Run}: publishing ticks [{From}, {To}) on its tap failed", this.GetPrimaryKeyString(), from, _engineTick);
        }
    }

    private double Dt() => _dt ??= NetworkSpec.Parse(State.SpecJson!).Dt;

    /// <summary>
    /// Awaits the shards' window, failing at once when a silo of the placement leaves the cluster or a shard's device fails
    /// (instead of after the survivors' window timeout).
    /// </summary>
    private async Task<ShardAdvance[]> WatchPlacementAsync(Task<ShardAdvance>[] shards, long from)
    {
        var advancing = Task.WhenAll(shards);
        while (await Task.WhenAny(advancing, Task.Delay(100)) != advancing)
        {
            if (LostSilos() is { Length: > 0 } lost)
            {
                _ = advancing.ContinueWith(t => t.Exception, TaskScheduler.Default); // the survivors fail later; observed here
                throw new SiloUnavailableException($"silo(s) {string.Join(", ", lost)} of run '{this.GetPrimaryKeyString()}' left the cluster during the window from tick {from}");
            }

            // A shard whose device failed: its peers would wait for its frames until their window timeout.
            if (shards.Select(t => t.IsFaulted ? DeviceLost(t.Exception!) : null).FirstOrDefault(d => d is not null) is { } device)
            {
                _ = advancing.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw device;
            }
        }

        try
        {
            return await advancing;
        }
        catch when (advancing.Exception is { InnerExceptions.Count: > 1 } all)
        {
            // The caller sees the first shard's failure (often a peer's timeout); the others may hold the cause.
            logger.LogWarning(all, "Run {Run}: {Count} shards failed the window from tick {From}", this.GetPrimaryKeyString(), all.InnerExceptions.Count, from);
            throw;
        }
    }

    /// <summary>The shards at the last checkpoint: kept from earlier calls, or placed afresh and rebuilt by replay with every checkpoint verified.</summary>
    private async Task<IRegionShardGrain[]> ShardsAtCheckpointAsync()
    {
        if (_shards is not null && _engineTick == State.Tick)
        {
            return _shards;
        }

        var (shards, _) = await RestoreSnapshotAsync(await PlaceAsync(), State.Tick);
        await ReplayCheckpointsAsync(shards, State.Tick);
        return shards;
    }

    /// <summary>Places the run on fresh shards at tick 0 (releasing any earlier placement).</summary>
    private async Task<IRegionShardGrain[]> PlaceAsync(int silosOverride = 0)
    {
        await ReleaseShardsAsync();
        var silos = ActiveSilos();
        using var activity = NeuroMeshTelemetry.Start("place", ("neuromesh.run", this.GetPrimaryKeyString()), ("neuromesh.active_silos", silos.Length));
        // A run asks for a number of silos, but its spikes do not depend on it: on a smaller cluster (a lost silo, or a
        // replay on one machine) it is placed on the silos there are.
        var asked = silosOverride > 0 ? silosOverride : State.Silos;
        var count = asked == 0 ? silos.Length : Math.Min(asked, silos.Length);

        _neurons = NetworkSpec.Parse(State.SpecJson!).NeuronCount;
        count = Math.Min(count, Math.Max(1, _neurons));
        var keys = silos.Take(count).Select(s => SiloKey.For(s)).ToArray();
        var run = this.GetPrimaryKeyString();
        var epoch = Guid.NewGuid().ToString("N")[..12];
        var shards = keys.Select((k, i) => GrainFactory.GetGrain<IRegionShardGrain>(RegionShardGrain.Key(k, run, epoch, i))).ToArray();
        _placedSilos = [.. silos.Take(count)];
        _placement = await Task.WhenAll(shards.Select((s, i) => s.Prepare(new ShardSetup { RunId = run, Epoch = epoch, SpecJson = State.SpecJson!, Index = i, SiloKeys = keys })));
        (_shards, _hash, _engineTick) = (shards, new SpikeTrainHash(), 0);
        return shards;
    }

    /// <summary>Advances the shards (fresh, or restored from a snapshot) through every checkpoint after their tick up to <paramref name="toTick"/>, checking each.</summary>
    private async Task<List<CheckpointInfo>> ReplayCheckpointsAsync(IRegionShardGrain[] shards, long toTick)
    {
        var verified = new List<CheckpointInfo>();
        foreach (var checkpoint in State.Checkpoints.Where(c => c.Tick > _engineTick && c.Tick <= toTick).ToArray())
        {
            var from = _engineTick;
            var (_, weights) = await AdvanceShardsAsync(shards, _hash!, checkpoint.Tick - from);
            var replayed = _hash!.Current();
            var replayedWeights = weights.Digest();
            string? divergence = replayed != checkpoint.SpikeTrainHash || _hash.Count != checkpoint.Spikes
                ? $"the log records {checkpoint.Spikes} spikes with hash {checkpoint.SpikeTrainHash}, the replay produced {_hash.Count} spikes with hash {replayed}"
                : replayedWeights != checkpoint.WeightDiffDigest
                    ? $"the spikes agree, but the plastic weights changed since the previous checkpoint differ: the log records {Describe(checkpoint.WeightDiffDigest)}, the replay produced {weights.Count} changes with digest {Describe(replayedWeights)}"
                    : null;
            if (divergence is not null)
            {
                var message = $"Replay of run '{this.GetPrimaryKeyString()}' diverged at the checkpoint of tick {checkpoint.Tick}: {divergence}.";
                await ReleaseShardsAsync();
                throw new InvalidOperationException(message);
            }

            verified.Add(new CheckpointInfo(checkpoint.Tick, checkpoint.Spikes, checkpoint.SpikeTrainHash));
            metrics.AddReplayCheckpoint(checkpoint.Tick - from);
        }

        return verified;
    }

    private static string Describe(string digest) => digest.Length == 0 ? "no weight change" : $"weight-diff digest {digest}";

    /// <summary>The active silos, in a fixed order (shard k goes to the k-th).</summary>
    private SiloAddress[] ActiveSilos() => [.. membership.CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active)
        .Select(m => m.SiloAddress)
        .OrderBy(s => s.ToParsableString(), StringComparer.Ordinal)];

    private void EnsureRunnable(string action)
    {
        var run = this.GetPrimaryKeyString();
        if (State.SpecJson is null)
        {
            throw new InvalidOperationException($"Cannot {action} run '{run}': no spec is deployed.");
        }

        if (State.Stopped)
        {
            throw new InvalidOperationException($"Cannot {action} run '{run}': it was stopped at tick {State.Tick}.");
        }

        if (State.Tick >= State.TotalTicks)
        {
            throw new InvalidOperationException($"Cannot {action} run '{run}': it has run its whole duration ({State.TotalTicks} ticks).");
        }

        if (_busy)
        {
            throw new InvalidOperationException($"Cannot {action} run '{run}': a step is in progress.");
        }
    }

    private RunStatus Status() => new()
    {
        RunId = this.GetPrimaryKeyString(),
        Phase = State.SpecJson is null ? RunPhase.Empty
            : State.Stopped ? RunPhase.Stopped
            // Finished once the last checkpoint is confirmed (its spikes are on the tap), even while the background run
            // still frees its shards after it.
            : State.Tick >= State.TotalTicks ? RunPhase.Finished
            : _background is not null ? RunPhase.Running
            : State.Tick == 0 ? RunPhase.Deployed
            : RunPhase.Paused,
        Tick = State.Tick,
        TotalTicks = State.TotalTicks,
        Spikes = State.Checkpoints.Count == 0 ? 0 : State.Checkpoints[^1].Spikes,
        SpikeTrainHash = State.Checkpoints.Count == 0 ? string.Empty : State.Checkpoints[^1].SpikeTrainHash,
        SpecHash = State.SpecHash,
        Seed = State.Seed,
        Checkpoints = State.Checkpoints.Count,
        DuplicateCheckpoints = State.DuplicateCheckpoints,
        Silos = Placement.Length,
        Neurons = Math.Max(0, _neurons),
        Synapses = Placement.Sum(p => p.Synapses),
        WindowTicks = Placement.Length == 0 ? 0 : Placement[0].WindowTicks,
        TapBatches = _tapBatches,
        TapFailures = _tapFailures,
        WeightChanges = State.WeightChanges,
        DtMs = State.SpecJson is null ? 0 : Dt(),
        Recoveries = State.Recoveries.Count,
        Activation = GrainContext.ActivationId.ToString(),
        RecoveryHistory = [.. State.Recoveries.Select(r => new RunRecovery(r.Tick, r.LostSilos, r.Reason, r.SnapshotTick))],
        Snapshots = State.Snapshots.Count,
        LastSnapshotTick = State.Snapshots.Count == 0 ? -1 : State.Snapshots[^1].Tick,
        SnapshotBytes = State.Snapshots.Sum(s => s.Bytes),
        SnapshotStallMs = State.Snapshots.Count == 0 ? 0 : State.Snapshots.Max(s => s.StallMs),
        BaseTick = State.BaseTick,
        CheckpointSeconds = _checkpointSeconds,
        LogSeconds = _logSeconds,
        ForkedFrom = State.Origin?.SourceRun ?? string.Empty,
        Error = State.Error ?? string.Empty,
    };

    private async Task ReleaseShardsAsync()
    {
        var shards = _shards;
        _hash?.Dispose();
        (_shards, _hash, _engineTick, _placement) = (null, null, 0, []);
        if (shards is not null)
        {
            try
            {
                await Task.WhenAll(shards.Select(s => s.Release()));
            }
            catch (Exception)
            {
                // A shard whose silo is gone has nothing left to release; its epoch's channel is dead either way.
            }
        }
    }
}
