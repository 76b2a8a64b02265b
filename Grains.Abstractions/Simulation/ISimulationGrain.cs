namespace NeuroMesh.Simulation;

/// <summary>
/// One simulation run (string key = run id): deploy a spec, then step, start, pause and stop it. Every confirmed step is
/// a checkpoint in the run's delta log (tick, spike count, spike-train hash); after a restart the run is rebuilt by
/// replaying it from tick 0 and checking every checkpoint hash on the way.
/// </summary>
public interface ISimulationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Deploys a NetworkSpec (JSON) to run across <paramref name="silos"/> silos (0: every active silo), one region shard
    /// per silo. A run takes one spec for its whole life; its spike trains are the same on any number of silos.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid; the message lists each problem with its JSON path.</exception>
    /// <exception cref="InvalidOperationException">The run already has a spec.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="silos"/> is negative, or more than the cluster's active silos or the network's neurons.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<RunStatus> Deploy(string specJson, int silos = 0);

    /// <summary>
    /// Schedules external inputs for ticks from the run's current tick on; they are logged with the run (so a replay
    /// applies them at the same ticks) and applied by the shard that owns each neuron.
    /// </summary>
    /// <remarks>
    /// A <see cref="Spikes.SpikeType.Modulatory"/> input is a reward: it scales the eligibility of the neuron's incoming
    /// R-STDP synapses in the update of its tick, so it is accepted only for neurons that receive R-STDP synapses.
    /// </remarks>
    /// <exception cref="ArgumentException">An input's tick is before the run's tick or past its end, its neuron is not in the network, its weight is not finite, its channel is not Excitatory, Inhibitory or Modulatory, or it is Modulatory and its neuron receives no R-STDP synapse; nothing is scheduled.</exception>
    /// <exception cref="InvalidOperationException">No spec, or the run is stepping, running in the background, stopped or finished.</exception>
    Task<RunStatus> Inject(IReadOnlyList<ExternalInput> inputs);

    /// <summary>
    /// Sends a reward: a modulatory input of <paramref name="amount"/> to every neuron of <paramref name="population"/>
    /// (null: every neuron that receives R-STDP synapses, a global reward), acting in the update of
    /// <paramref name="tick"/> (negative: the run's current tick). It is logged like any <see cref="Inject"/>ed input.
    /// </summary>
    /// <exception cref="ArgumentException">The amount is not finite or zero, the population is unknown or receives no R-STDP synapse, the run has no R-STDP synapses, or the tick is outside the run's remaining ticks; nothing is scheduled.</exception>
    /// <exception cref="InvalidOperationException">No spec, or the run is stepping, running in the background, stopped or finished.</exception>
    Task<RunStatus> Reward(double amount, string? population = null, long tick = -1);

    /// <summary>
    /// Places the run on its silos and builds the shards' engines now (rebuilding it by replay if it has run before),
    /// so that the next <see cref="Step"/> or <see cref="Start"/> only simulates. Calling it when the run is placed does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">No spec, or the run is stepping, running in the background, stopped or finished.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<RunStatus> Place();

    /// <summary>Runs <paramref name="ticks"/> ticks (at most to the end of the spec's duration) and returns when they are confirmed.</summary>
    /// <exception cref="InvalidOperationException">No spec, the run is running in the background, stopped or finished.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<RunStatus> Step(long ticks);

    /// <summary>
    /// Starts running in the background to the end of the spec's duration, with a checkpoint every window. With a
    /// <paramref name="pace"/> above 0 the run is held to at most that many simulated seconds per wall-clock second (1 is real
    /// time) and advances in 20 ms slices of simulated time, so live views (the tap) see it unfold; 0 runs as fast as it can.
    /// </summary>
    /// <param name="pace">Simulated seconds per wall-clock second, in [0, 1000]; 0 for no limit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pace"/> is negative, above 1000 or not a number.</exception>
    /// <exception cref="InvalidOperationException">No spec, or the run is stopped or finished.</exception>
    Task<RunStatus> Start(double pace = 0);

    /// <summary>Pauses a background run after its current window.</summary>
    Task<RunStatus> Pause();

    /// <summary>Stops the run for good (after the current window, if it is running).</summary>
    Task<RunStatus> Stop();

    /// <summary>The run's status.</summary>
    Task<RunStatus> GetStatus();

    /// <summary>
    /// Rebuilds the run from its log on fresh shards to <paramref name="toTick"/> (negative: its last checkpoint),
    /// reproducing and checking every logged checkpoint on the way. Replaying to the last checkpoint leaves the run
    /// ready to continue (<see cref="Step"/>) with exactly the spikes the original would have produced.
    /// <paramref name="silos"/> places the replay on that many active silos (0: as deployed); the spikes do not depend on it.
    /// With <paramref name="fromSnapshot"/> (the default) it starts from the latest engine snapshot at or before
    /// <paramref name="toTick"/> and checks the checkpoints after it; otherwise from tick 0, checking every one.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// No spec, a step or background run is in progress, or a checkpoint did not reproduce (the message names the first
    /// diverging checkpoint's tick and both hashes).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="toTick"/> is past the run's last checkpoint.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<ReplayReport> Replay(long toTick = -1, int silos = 0, bool fromSnapshot = true);

    /// <summary>
    /// Moves the run, at its last checkpoint, from the silos it runs on to <paramref name="silos"/> silos and carries on
    /// there: a snapshot of that checkpoint (taken now when there is none) is restored on the new placement, so the spikes
    /// and weights go on exactly as they would have. A background run is held for the move and carries on after it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="silos"/> is below 1, or above the active silos or the neurons.</exception>
    /// <exception cref="ArgumentException">The spec cannot be split onto that many silos.</exception>
    /// <exception cref="InvalidOperationException">No spec, the run is stopped or finished, or a step or replay is in progress.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<RunStatus> Rescale(int silos);

    /// <summary>The run's engine snapshot of <paramref name="tick"/>: a portable file (see docs/snapshots.md), checked against its logged SHA-256.</summary>
    /// <exception cref="ArgumentException">The run has no snapshot of that tick (the message lists the ticks it has, nearest first).</exception>
    /// <exception cref="InvalidOperationException">The stored file is missing or does not match its log.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<byte[]> ExportSnapshot(long tick);

    /// <summary>
    /// Makes this new run (no spec deployed) begin from a snapshot file of any run, on <paramref name="silos"/> silos
    /// (0: every active silo): the file's spec is deployed, its tick is the run's first checkpoint, and the next step goes
    /// on from there exactly as the source would have.
    /// </summary>
    /// <exception cref="ArgumentException">The file is truncated, tampered with, of a newer format, or inconsistent (the reason is named).</exception>
    /// <exception cref="InvalidOperationException">This run already has a spec.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<RunStatus> Import(byte[] snapshot, int silos = 0);

    /// <summary>
    /// Makes this new run begin from run <paramref name="sourceRun"/>'s snapshot of <paramref name="tick"/>, with its spec
    /// changed by <paramref name="specPatch"/> (a JSON merge patch, or null) and <paramref name="sets"/>
    /// (<c>PATH=VALUE</c>, see <c>SpecEdits</c>). With no change the fork reproduces the source's ticks after
    /// <paramref name="tick"/> exactly. Changes that alter the synapses are refused: the state would not fit them.
    /// </summary>
    /// <exception cref="ArgumentException">No snapshot of that tick (the nearest are named), a malformed or invalid change, or a change the state does not fit.</exception>
    /// <exception cref="InvalidOperationException">This run already has a spec, or the source run has none.</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<RunStatus> Fork(string sourceRun, long tick, string? specPatch = null, IReadOnlyList<string>? sets = null, int silos = 0);

    /// <summary>The run's region shards (silo, neurons, synapses, window, spike accounting), empty while it is not placed.</summary>
    Task<IReadOnlyList<ShardInfo>> GetShards();

    /// <summary>Every checkpoint in the run's log (tick, spikes so far, spike-train hash so far), in tick order.</summary>
    Task<IReadOnlyList<CheckpointInfo>> GetCheckpoints();

    /// <summary>
    /// A page of the run's spikes, in (tick, neuron) order. The run's silo records every spike the run fires, up to
    /// 4,000,000 per run (<see cref="SpikePage.Truncated"/> says when it stopped); a run whose recording was lost with its
    /// activation is replayed from its log first (every checkpoint checked), unless it is stepping or running, when the
    /// page holds what is recorded so far.
    /// </summary>
    /// <exception cref="ArgumentException">The query is invalid; the message names the field.</exception>
    /// <exception cref="InvalidOperationException">No spec is deployed (is the run id right?).</exception>
    [ResponseTimeout(LongOperation.Timeout)]
    Task<SpikePage> GetSpikes(SpikeQuery query);
    /// <summary>The deployed spec's canonical JSON, or null before deploy (for views that name populations, such as the gateway's taps).</summary>
    Task<string?> GetSpec();

    /// <summary>
    /// Up to <paramref name="max"/> synaptic weights over the run's shards, each shard contributing in proportion to its
    /// synapses; empty while the run is not placed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is not in [1, 1000000].</exception>
    Task<WeightSample> SampleWeights(int max = 10_000);
}
