using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Silo.Http;

/// <summary><c>/api/agents</c>: register an agent card in a region, and discover cards by capability within a region's subtree.</summary>
internal static class AgentEndpoints
{
    public static void Map(RouteGroupBuilder reads, RouteGroupBuilder writes)
    {
        writes.MapPost("/agents", async (HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<AgentRegisterRequest>(context);
            if (error is not null)
            {
                return error;
            }

            var regions = new List<RegionPath>();
            for (var i = 0; i < (request!.Regions?.Count ?? 0); i++)
            {
                if (!RegionPath.TryParse(request.Regions![i], out var region, out var problem))
                {
                    return GatewayProblems.Invalid($"$.regions[{i}]", problem);
                }

                regions.Add(region);
            }

            return await TopologyEndpoints.WithRegion("$.region", request.Region, owner => TopologyEndpoints.WithNeuron("$.neuronId", request.NeuronId, neuron =>
            {
                AgentCard card;
                try
                {
                    card = new AgentCard(request.Name, neuron, request.Capabilities, regions, request.Metadata);
                }
                catch (ArgumentException e)
                {
                    var field = e.ParamName == "neuronId" ? "$.neuronId" : "$." + (e.ParamName ?? "name");
                    return Task.FromResult(GatewayProblems.Invalid(field, GatewayProblems.FirstLine(e.Message)));
                }

                return GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<IRegionGrain>(owner.ToString()).RegisterCard(card)));
            }));
        }).WithSummary("Registers (or replaces) an agent card owned by {region}.");

        reads.MapGet("/agents", (string[]? capability, string? match, string? region, IGrainFactory grains) =>
        {
            if (capability is null || capability.Length == 0)
            {
                return Task.FromResult(GatewayProblems.Invalid("capability", "name at least one capability (?capability=x, repeatable)"));
            }

            // Exactly one of the two names: Enum.TryParse would also take numbers and "any,all" (a flags combination).
            CapabilityMatch? how = (match ?? "all").ToLowerInvariant() switch { "all" => CapabilityMatch.All, "any" => CapabilityMatch.Any, _ => null };
            if (how is null)
            {
                return Task.FromResult(GatewayProblems.Invalid("match", $"must be 'all' or 'any' (got '{match}')"));
            }

            return TopologyEndpoints.WithRegion("region", region ?? "/", scope => GatewayProblems.Call(async () =>
            {
                try
                {
                    return Results.Ok(await grains.GetGrain<IRegionGrain>(scope.ToString()).FindByCapability(capability, how.Value));
                }
                catch (KeyNotFoundException)
                {
                    // A region nothing was recorded in holds no cards.
                    return Results.Ok(Array.Empty<AgentCard>());
                }
            }));
        }).WithSummary("Agent cards in ?region= (default the root) with all (?match=all) or any of the ?capability= names.");
    }
}
