using NeuroMesh.Spikes;

namespace NeuroMesh.Fabric;

/// <summary>
/// Receives spikes from <see cref="AxonReader.Drain{THandler}(ref THandler, int)"/>. Implement it on a struct:
/// the drain loop is generic over the handler, so the JIT specialises and inlines the calls.
/// </summary>
public interface ISpikeHandler
{
    /// <summary>Handles one spike. The reference is valid only during the call (it may point into the ring).</summary>
    void OnSpike(in Spike spike, long sequence);

    /// <summary>
    /// Called once per drained batch, in the FEEDBACK stage, after every spike of the batch was handled: the place
    /// for per-batch work such as waking a grain once per batch instead of once per spike.
    /// </summary>
    void OnBatchEnd(long firstSequence, int count);
}
