using NeuroMesh.Cluster;
using NeuroMesh.Simulation;
using Orleans.Runtime;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// <c>/api/cluster</c>: every silo in the membership table with its status, its spike-fabric ring occupancy and what its
/// fabric ingress received from the spike streams (cross-silo traffic); with <c>?run=</c>, the run's shards on each silo.
/// </summary>
internal static class ClusterEndpoints
{
    public static void Map(RouteGroupBuilder reads)
    {
        reads.MapGet("/cluster", async (string? run, IClusterMembershipService membership, ILocalSiloDetails local, IGrainFactory grains) =>
        {
            IReadOnlyList<ShardInfo> shards = [];
            if (run is not null)
            {
                if (await RunEndpoints.Known(grains, run) is null)
                {
                    return RunEndpoints.Missing(run, "run");
                }

                shards = await grains.GetGrain<ISimulationGrain>(run).GetShards();
            }

            var silos = new List<object>();
            foreach (var member in membership.CurrentSnapshot.Members.Values.OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal))
            {
                var address = member.SiloAddress.ToParsableString();
                IngressCounters? ingress = null;
                if (member.Status == SiloStatus.Active)
                {
                    ingress = await grains.GetGrain<IFabricIngressGrain>(SiloKey.For(member.SiloAddress)).GetCounters();
                }

                silos.Add(new
                {
                    address,
                    endpoint = member.SiloAddress.Endpoint.ToString(),
                    name = member.Name,
                    status = member.Status.ToString(),
                    local = member.SiloAddress.Equals(local.SiloAddress),
                    leasedRings = ingress?.LeasedRings,
                    ringCount = ingress?.RingCount,
                    ingressDelivered = ingress?.Delivered,
                    ingressDroppedNoSink = ingress?.DroppedNoSink,
                    ingressSinkFaults = ingress?.SinkFaults,
                    ingressDroppedSiloLeft = ingress?.DroppedSiloLeft,
                    shards = shards.Where(s => s.Silo == address),
                });
            }

            return Results.Ok(new { silos });
        }).WithSummary("The silos (status, fabric ring occupancy, cross-silo ingress) and, with ?run=, the run's shards on each.");
    }
}
