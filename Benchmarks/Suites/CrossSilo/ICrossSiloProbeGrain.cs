namespace NeuroMesh.Benchmarks.Suites.CrossSilo;

/// <summary>The benchmark's grain on the receiving silo (key = that silo's address, pinned there): the grain-call peer's target and the recorder's remote control.</summary>
public interface ICrossSiloProbeGrain : IGrainWithStringKey
{
    /// <summary>The plain-Orleans peer: one grain call carries one encoded spike frame.</summary>
    Task Deliver(byte[] frame);

    /// <summary>Clears the recorder.</summary>
    Task Reset();

    /// <summary>What the recorder holds.</summary>
    Task<LatencyStats> Stats();
}
