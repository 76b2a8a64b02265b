using System.Runtime.CompilerServices;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;

namespace NeuroMesh.Client;

/// <summary>One simulation run (its id is the run grain's key): deploy, run, pause, step, stop, inject, read, replay.</summary>
public sealed class SimulationRun
{
    private readonly IClusterClient _cluster;
    private readonly ISimulationGrain _grain;

    internal SimulationRun(IClusterClient cluster, string id)
    {
        Id = id;
        _cluster = cluster;
        _grain = cluster.GetGrain<ISimulationGrain>(id);
    }

    /// <summary>The run id.</summary>
    public string Id { get; }

    /// <summary>Deploys a spec across <paramref name="silos"/> silos (0: all).</summary>
    /// <exception cref="ArgumentException">The spec is invalid; the message lists each problem with its JSON path.</exception>
    /// <exception cref="InvalidOperationException">The run already has a spec.</exception>
    public Task<RunStatus> Deploy(NetworkSpec spec, int silos = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _grain.Deploy(spec.ToJson(), silos);
    }

    /// <summary>Deploys a spec given as JSON (validated on the silo).</summary>
    /// <inheritdoc cref="Deploy(NetworkSpec, int)"/>
    public Task<RunStatus> Deploy(string specJson, int silos = 0) => _grain.Deploy(specJson, silos);

    /// <summary>Places the run and builds its engines, so that the next step only simulates.</summary>
    public Task<RunStatus> Place() => _grain.Place();

    /// <summary>Runs <paramref name="ticks"/> ticks (at most to the end) and returns once they are checkpointed.</summary>
    public Task<RunStatus> Step(long ticks) => _grain.Step(ticks);

    /// <summary>
    /// Runs to the end in the background; <paramref name="pace"/> above 0 holds it to that many simulated seconds per second
    /// (1: real time) with a checkpoint every 20 ms of simulated time, 0 runs it as fast as it can with a checkpoint every
    /// 1000 ticks.
    /// </summary>
    public Task<RunStatus> Start(double pace = 0) => _grain.Start(pace);

    /// <summary>Pauses a background run after its current window.</summary>
    public Task<RunStatus> Pause() => _grain.Pause();

    /// <summary>Stops the run for good.</summary>
    public Task<RunStatus> Stop() => _grain.Stop();

    /// <summary>The run's status.</summary>
    public Task<RunStatus> Status() => _grain.GetStatus();

    /// <summary>The run's status and shards, with the rates derived from them.</summary>
    public async Task<RunStatistics> Statistics()
    {
        var status = await _grain.GetStatus();
        return new RunStatistics(status, await _grain.GetShards());
    }

    /// <summary>Every checkpoint in the run's log.</summary>
    public Task<IReadOnlyList<CheckpointInfo>> Checkpoints() => _grain.GetCheckpoints();

    /// <summary>The most neurons one <see cref="Reward(double, NeuronSet, long?)"/> names.</summary>
    public const int MaxRewardNeurons = 100_000;

    /// <summary>Schedules external inputs (logged with the run, so a replay applies them too).</summary>
    /// <exception cref="ArgumentException">An input is invalid; nothing is scheduled and the message lists each problem.</exception>
    public Task<RunStatus> Inject(IEnumerable<ExternalInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return _grain.Inject([.. inputs]);
    }

    /// <summary>
    /// Sends a reward (a modulatory input, logged with the run) of <paramref name="amount"/> to every neuron of
    /// <paramref name="population"/>, or, with none named, to every neuron that receives R-STDP synapses; it acts in the
    /// update of <paramref name="tick"/> (default: the run's current tick). R-STDP turns it into weight changes.
    /// </summary>
    /// <exception cref="ArgumentException">The run has no R-STDP synapses, the population is unknown or receives none, or the amount or tick is invalid; nothing is scheduled.</exception>
    public Task<RunStatus> Reward(double amount, string? population = null, long? tick = null) => _grain.Reward(amount, population, tick ?? -1);

    /// <summary>Sends a reward of <paramref name="amount"/> to each neuron of <paramref name="neurons"/> (each must receive R-STDP synapses).</summary>
    /// <exception cref="ArgumentException">A neuron receives no R-STDP synapse or is not in the network, the set is over 100,000 neurons, or the amount or tick is invalid; nothing is scheduled.</exception>
    public async Task<RunStatus> Reward(double amount, NeuronSet neurons, long? tick = null)
    {
        ArgumentNullException.ThrowIfNull(neurons);
        var count = neurons.Ranges.Sum(r => (long)r.Hi - r.Lo);
        if (count > MaxRewardNeurons)
        {
            throw new ArgumentException($"The set names {count} neurons; a reward to a set takes at most {MaxRewardNeurons} (reward a population instead).", nameof(neurons));
        }

        var at = tick ?? (await _grain.GetStatus()).Tick;
        return await _grain.Inject([.. neurons.Ranges.SelectMany(r => Enumerable.Range(r.Lo, r.Hi - r.Lo)).Select(n => new ExternalInput(at, n, amount, SpikeType.Modulatory))]);
    }

    /// <summary>Rebuilds the run from its log to <paramref name="toTick"/> (negative: its last checkpoint), checking every checkpoint.</summary>
    public Task<ReplayReport> Replay(long toTick = -1, int silos = 0, bool fromSnapshot = true) => _grain.Replay(toTick, silos, fromSnapshot);

    /// <summary>Moves the run, at its last checkpoint, onto <paramref name="silos"/> silos; it carries on there with the same spikes (see <see cref="ISimulationGrain.Rescale"/>).</summary>
    public Task<RunStatus> Rescale(int silos) => _grain.Rescale(silos);

    /// <summary>The run's engine snapshot of <paramref name="tick"/> as a portable file (see <see cref="ISimulationGrain.ExportSnapshot"/>).</summary>
    public Task<byte[]> ExportSnapshot(long tick) => _grain.ExportSnapshot(tick);

    /// <summary>Makes this new run begin from a snapshot file (see <see cref="ISimulationGrain.Import"/>).</summary>
    public Task<RunStatus> Import(byte[] snapshot, int silos = 0) => _grain.Import(snapshot, silos);

    /// <summary>Makes this new run begin from <paramref name="sourceRun"/>'s snapshot of <paramref name="tick"/>, with changes (see <see cref="ISimulationGrain.Fork"/>).</summary>
    public Task<RunStatus> Fork(string sourceRun, long tick, string? specPatch = null, IReadOnlyList<string>? sets = null, int silos = 0)
        => _grain.Fork(sourceRun, tick, specPatch, sets, silos);

    /// <summary>One page of the run's recorded spikes.</summary>
    public Task<SpikePage> Spikes(SpikeQuery query) => _grain.GetSpikes(query);

    /// <summary>Every recorded spike that <paramref name="query"/> selects, page by page (its cursor is followed for you).</summary>
    public async IAsyncEnumerable<SpikePage> ReadSpikes(SpikeQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new SpikeQuery();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _grain.GetSpikes(query);
            yield return page;
            if (page.Next < 0)
            {
                yield break;
            }

            query = query with { After = page.Next };
        }
    }

    /// <summary>
    /// Subscribes to the run's live spikes (its tap), keeping those of <paramref name="neurons"/> (all when null). The tap
    /// carries what the run simulates from now on; for what it already simulated, read <see cref="ReadSpikes"/>.
    /// </summary>
    public Task<SpikeSubscription> Subscribe(Func<SpikeTapBatch, Task> onBatch, NeuronSet? neurons = null)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        return SpikeSubscription.StartAsync(_cluster, Id, neurons ?? NeuronSet.All, onBatch);
    }
}
