namespace NeuroMesh.Fabric;

/// <summary>How a reader waits for spikes in <see cref="AxonReader.WaitFor"/>.</summary>
public enum WaitStrategy
{
    /// <summary>Spin on the producer cursor without yielding: lowest latency, burns a core.</summary>
    BusySpin,

    /// <summary>Spin with <see cref="SpinWait"/> hints, yielding the core now and then; never blocks.</summary>
    SpinWait,

    /// <summary>Spin briefly, yield, then park the thread until the producer publishes (the producer signals only when someone is parked).</summary>
    YieldThenPark,
}
