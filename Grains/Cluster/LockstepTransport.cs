namespace NeuroMesh.Cluster;

/// <summary>How lockstep shards send their windows to peer silos (<c>NeuroMesh:Cluster:LockstepTransport</c>).</summary>
public enum LockstepTransport
{
    /// <summary>
    /// The default: a peer silo in the same process (an embedded cluster: <c>run --silos N</c>, the test clusters) is
    /// handed the frames directly, through its <see cref="FabricIngressRouter"/>; any other peer gets one grain call per
    /// window to its <see cref="IFabricIngressGrain"/>, as <see cref="Calls"/>. Nothing polls.
    /// </summary>
    Push,

    /// <summary>One grain call per window and peer to the peer silo's <see cref="IFabricIngressGrain"/>.</summary>
    Calls,

    /// <summary>The peer silo's Orleans memory spike stream, read by its pulling agent (polls; milliseconds per window).</summary>
    Streams,
}
