using System.Security.Cryptography;
using System.Text;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Persistence;
using NeuroMesh.Simulation.Events;
using Orleans.Concurrency;
using Orleans.EventSourcing;
using Orleans.Providers;

namespace NeuroMesh.Simulation;

/// <summary>
/// A simulation run on this silo's CPU engine, event-sourced in the delta log. The engine is not persisted: it is
/// rebuilt by replaying the run from tick 0 (the engine is deterministic), and every logged checkpoint hash is checked
/// on the way, so a run that would diverge fails loudly at its first diverging checkpoint.
/// </summary>
/// <remarks>Reentrant so that <see cref="GetStatus"/>, <see cref="Pause"/> and <see cref="Stop"/> answer while a background run
/// awaits its current window; all state changes happen on the grain's turns.</remarks>
[Reentrant]
[LogConsistencyProvider(ProviderName = DeltaLogGrainOptions.ProviderName)]
public sealed class SimulationGrain : DeltaLogGrain<SimulationState, SimulationEvent>, ISimulationGrain
{
    /// <summary>Ticks per checkpoint while running in the background.</summary>
    public const int Window = 1000;

    private CpuEngine? _engine;
    private SpikeTrainHash? _hash;
    private long _engineTick;
    private Task? _background;
    private bool _pauseRequested;
    private bool _busy;

    /// <inheritdoc />
    public async Task<RunStatus> Deploy(string specJson)
    {
        ArgumentNullException.ThrowIfNull(specJson);
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

        var canonical = spec.ToJson();
        RaiseEvent(new SpecDeployed(canonical, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), spec.Seed, spec.TotalTicks));
        await ConfirmEvents();
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
        try
        {
            await AdvanceAsync(Math.Min(ticks, State.TotalTicks - State.Tick));
        }
        finally
        {
            _busy = false;
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<RunStatus> Start()
    {
        EnsureRunnable("start");
        if (_background is null)
        {
            _pauseRequested = false;
            _background = RunInBackground();
        }

        return Task.FromResult(Status());
    }

    /// <inheritdoc />
    public async Task<RunStatus> Pause()
    {
        _pauseRequested = true;
        if (_background is { } running)
        {
            await running;
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<RunStatus> Stop()
    {
        await Pause();
        if (!State.Stopped && State.SpecJson is not null)
        {
            RaiseEvent(new RunStopped(State.Tick));
            await ConfirmEvents();
            DisposeEngine();
        }

        return Status();
    }

    /// <inheritdoc />
    public Task<RunStatus> GetStatus() => Task.FromResult(Status());

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _pauseRequested = true;
        DisposeEngine();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

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
                break;
            case RunCheckpointed checkpoint:
                state.Checkpoints.Add(checkpoint);
                break;
            case RunStopped:
                state.Stopped = true;
                break;
            default:
                throw new InvalidOperationException($"Unknown simulation event {@event.GetType().Name}.");
        }
    }

    private async Task RunInBackground()
    {
        try
        {
            while (!_pauseRequested && State.Tick < State.TotalTicks)
            {
                await AdvanceAsync(Math.Min(Window, State.TotalTicks - State.Tick));
            }
        }
        finally
        {
            _background = null;
        }
    }

    /// <summary>Runs the engine (off the grain's thread) and records a checkpoint.</summary>
    private async Task AdvanceAsync(long ticks)
    {
        if (ticks <= 0)
        {
            return;
        }

        var engine = await EngineAtCheckpointAsync();
        var hash = _hash!;
        var result = await Task.Run(() => engine.Run(ticks));
        hash.Append(result.Spikes);
        _engineTick += ticks;
        RaiseEvent(new RunCheckpointed(_engineTick, hash.Count, hash.Current()));
        await ConfirmEvents();
    }

    /// <summary>The engine at the last checkpoint: kept from earlier calls, or rebuilt by replay with every checkpoint verified.</summary>
    private async Task<CpuEngine> EngineAtCheckpointAsync()
    {
        if (_engine is not null && _engineTick == State.Tick)
        {
            return _engine;
        }

        DisposeEngine();
        var spec = NetworkSpec.Parse(State.SpecJson!);
        var engine = new CpuEngine(spec);
        var hash = new SpikeTrainHash();
        long tick = 0;
        foreach (var checkpoint in State.Checkpoints.ToArray())
        {
            var result = await Task.Run(() => engine.Run(checkpoint.Tick - tick));
            hash.Append(result.Spikes);
            tick = checkpoint.Tick;
            var replayed = hash.Current();
            if (replayed != checkpoint.SpikeTrainHash || hash.Count != checkpoint.Spikes)
            {
                var message = $"Replay of run '{this.GetPrimaryKeyString()}' diverged at the checkpoint of tick {checkpoint.Tick}: the log records {checkpoint.Spikes} spikes with hash {checkpoint.SpikeTrainHash}, the replay produced {hash.Count} spikes with hash {replayed}.";
                engine.Dispose();
                hash.Dispose();
                throw new InvalidOperationException(message);
            }
        }

        (_engine, _hash, _engineTick) = (engine, hash, tick);
        return engine;
    }

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
            : _background is not null ? RunPhase.Running
            : State.Tick >= State.TotalTicks ? RunPhase.Finished
            : State.Tick == 0 ? RunPhase.Deployed
            : RunPhase.Paused,
        Tick = State.Tick,
        TotalTicks = State.TotalTicks,
        Spikes = State.Checkpoints.Count == 0 ? 0 : State.Checkpoints[^1].Spikes,
        SpikeTrainHash = State.Checkpoints.Count == 0 ? string.Empty : State.Checkpoints[^1].SpikeTrainHash,
        SpecHash = State.SpecHash,
        Seed = State.Seed,
        Checkpoints = State.Checkpoints.Count,
    };

    private void DisposeEngine()
    {
        _engine?.Dispose();
        _hash?.Dispose();
        (_engine, _hash, _engineTick) = (null, null, 0);
    }
}
