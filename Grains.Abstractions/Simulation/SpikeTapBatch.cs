namespace NeuroMesh.Simulation;

/// <summary>
/// The spikes of one run over the ticks [<see cref="FromTick"/>, <see cref="ToTick"/>), as the run publishes them on its tap
/// (<see cref="SpikeTaps"/>): every spike of every shard, in (tick, neuron) order, so the batches of a run concatenated in
/// order are its whole spike train. Batches follow each other without gaps: a batch's <see cref="FromTick"/> is the previous
/// batch's <see cref="ToTick"/>, so a subscriber that sees a jump knows it missed spikes (it subscribed late or fell behind).
/// A checkpoint's spikes go out in batches of at most 32,768 spikes, cut between ticks; a single tick with more spikes is
/// cut inside it, and its pieces all cover [t, t + 1) (their <see cref="FromTick"/> is then below the previous
/// <see cref="ToTick"/>, never above it).
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="FromTick">The first tick covered.</param>
/// <param name="ToTick">The tick after the last one covered.</param>
/// <param name="Dt">Milliseconds per tick (the spec's <c>dt</c>).</param>
/// <param name="Ticks">Each spike's tick, ascending.</param>
/// <param name="Neurons">Each spike's neuron (global id), ascending within a tick.</param>
[GenerateSerializer, Immutable, Alias("neuromesh.spike-tap-batch")]
public sealed record class SpikeTapBatch(
    [property: Id(0)] string RunId,
    [property: Id(1)] long FromTick,
    [property: Id(2)] long ToTick,
    [property: Id(3)] double Dt,
    [property: Id(4)] long[] Ticks,
    [property: Id(5)] int[] Neurons)
{
    /// <summary>How many spikes the batch carries.</summary>
    public int Count => Neurons.Length;
}
