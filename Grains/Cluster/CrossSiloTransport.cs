namespace NeuroMesh.Cluster;

/// <summary>
/// How spikes cross silos, for lockstep windows (<c>NeuroMesh:Cluster:LockstepTransport</c>) and for free-running mesh
/// batches (<c>NeuroMesh:Cluster:MeshTransport</c>) alike.
/// </summary>
public enum CrossSiloTransport
{
    /// <summary>
    /// The default: a destination silo in the same process (an embedded cluster: <c>run --silos N</c>, the test clusters)
    /// is handed the frames directly, through its <see cref="FabricIngressRouter"/> (and a mesh sender reads its receipt
    /// there too); any other silo gets one grain call per window or batch, as <see cref="Calls"/>. Nothing polls.
    /// </summary>
    Push,

    /// <summary>
    /// One grain call per window and peer to the destination's <see cref="IFabricIngressGrain"/> (lockstep), or one
    /// awaited call per batch to its <see cref="IMeshIngressGrain"/>, which answers with the receipt (mesh).
    /// </summary>
    Calls,

    /// <summary>The destination silo's Orleans memory spike stream, read by its pulling agent (polls; milliseconds per hop).</summary>
    Streams,
}
