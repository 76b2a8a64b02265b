using NeuroMesh.Agents;
namespace NeuroMesh.Fabric;

/// <summary>
/// Wakes a parked free-running loop when a neuron fires or input arrives. Ringing costs a fence and a read unless
/// the loop is parked (the same Dekker pairing as <c>Axon.WakeParkedReaders</c> and <c>AxonReader.Park</c>).
/// </summary>
internal sealed class MeshDoorbell
{
    private readonly object _gate = new();
    private long _parked;

    public void Ring()
    {
        // Full fence between the caller's publish and this read; the parker fences between its increment and its re-check.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _parked) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Parks until rung or until <paramref name="timeoutMs"/> passes, unless <paramref name="hasWork"/> is already true.</summary>
    public void Park(Func<bool> hasWork, int timeoutMs)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _parked);
            try
            {
                if (!hasWork())
                {
                    Monitor.Wait(_gate, timeoutMs);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _parked);
            }
        }
    }
}
