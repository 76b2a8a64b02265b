using NeuroMesh.Spikes;

namespace NeuroMesh.Cluster;

/// <summary>
/// The silo-local delivery point of free-running cross-silo spikes: the agent mesh (Cortex) attaches one to the silo's
/// <see cref="MeshIngress"/>; tests and benchmarks attach counting or latency-recording ones.
/// </summary>
public interface IMeshSpikeConsumer
{
    /// <summary>
    /// Takes the spikes of one validated frame from the silo with mesh sender id <paramref name="sender"/>, in the order
    /// that sender sent them. Called from the ingress grain's turns, one frame at a time; must not block, and the span is
    /// valid only during the call. An exception is counted against the frame's spikes and never rethrown.
    /// </summary>
    void Deliver(ulong sender, ReadOnlySpan<Spike> spikes);
}
