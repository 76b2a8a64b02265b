namespace NeuroMesh.Cluster;

/// <summary>An active silo of this process, as <see cref="InProcessSilos"/> lists it: its cross-silo ingress router and mesh ingress.</summary>
/// <param name="Router">Routes a spike batch to the sink of its channel, counting it as the silo's ingress grain would.</param>
/// <param name="Mesh">The silo's mesh ingress, whose receipts a mesh sender reads after a direct hand-off.</param>
public sealed record class InProcessSilo(FabricIngressRouter Router, MeshIngress Mesh);
