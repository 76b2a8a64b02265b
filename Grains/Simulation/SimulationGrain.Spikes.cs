namespace NeuroMesh.Simulation;

/// <summary>The run's recorded spikes and its checkpoints, for clients (export, raster plots).</summary>
public sealed partial class SimulationGrain
{
    /// <summary>The most spikes one run records for <see cref="GetSpikes"/> (32 MB of keys).</summary>
    public const int MaxRecordedSpikes = 4_000_000;

    private readonly SpikeRecording _recording = new(MaxRecordedSpikes);

    /// <inheritdoc />
    public Task<IReadOnlyList<CheckpointInfo>> GetCheckpoints()
        => Task.FromResult<IReadOnlyList<CheckpointInfo>>([.. State.Checkpoints.Select(c => new CheckpointInfo(c.Tick, c.Spikes, c.SpikeTrainHash))]);

    /// <inheritdoc />
    public async Task<SpikePage> GetSpikes(SpikeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }

        var run = this.GetPrimaryKeyString();
        if (State.SpecJson is null)
        {
            throw new InvalidOperationException($"Run '{run}' has no spec deployed, so it has no spikes (is the run id right?).");
        }

        if (_recording.ToTick < State.Tick && !_recording.Capped && !_busy && _background is null)
        {
            // The recording went with an earlier activation; the log rebuilds it (the replay feeds every window through it).
            var report = await Replay(fromSnapshot: false); // from tick 0: the recording needs every window
            if (_recording.ToTick < report.Tick && !_recording.Capped)
            {
                throw new InvalidOperationException($"Run '{run}' was replayed to tick {report.Tick} but its spikes are recorded only to tick {_recording.ToTick}.");
            }
        }

        var (ticks, neurons, next) = _recording.Read(
            query.FromTick,
            query.ToTick < 0 ? long.MaxValue : query.ToTick,
            query.FirstNeuron,
            query.EndNeuron < 0 ? int.MaxValue : query.EndNeuron,
            query.After,
            query.Limit);
        return new SpikePage
        {
            RunId = run,
            Ticks = ticks,
            Neurons = neurons,
            Next = next,
            RecordedToTick = _recording.ToTick,
            Truncated = _recording.Capped,
            DtMs = Dt(),
            RunTick = State.Tick,
        };
    }
}
