namespace NeuroMesh.Fabric.Wire;

/// <summary>Flags of a spike frame.</summary>
[Flags]
public enum SpikeFrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Lockstep: the sender has sent everything for the window that ends at <see cref="SpikeFrameHeader.LastTick"/>.</summary>
    EndOfWindow = 1,
}
