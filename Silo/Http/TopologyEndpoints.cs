using System.Collections.Immutable;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// Regions (<c>/api/regions</c>), neurons (<c>/api/neurons/{id}</c>) and their outgoing synapses: create, edit and inspect.
/// Region paths travel in bodies and query strings (they hold slashes); neuron ids are unsigned 32-bit integers.
/// </summary>
internal static class TopologyEndpoints
{
    public static void Map(RouteGroupBuilder reads, RouteGroupBuilder writes)
    {
        reads.MapGet("/regions", (string? path, IGrainFactory grains) => WithRegion("path", path ?? "/", region =>
            GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<IRegionGrain>(region.ToString()).Inspect()))))
            .WithSummary("A region (?path=, default the root): members, populations, projections, children and card counts.");

        writes.MapPost("/regions/members", async (HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<RegionMemberRequest>(context);
            return error ?? await WithRegion("$.region", request!.Region, region => WithNeuron("$.neuron", request.Neuron, neuron =>
                GatewayProblems.Call(async () => Results.Ok(new { added = await grains.GetGrain<IRegionGrain>(region.ToString()).AddMember(neuron) }))));
        }).WithSummary("Adds a stand-alone neuron to a region.");

        writes.MapPost("/regions/members/remove", async (HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<RegionMemberRequest>(context);
            return error ?? await WithRegion("$.region", request!.Region, region => WithNeuron("$.neuron", request.Neuron, neuron =>
                GatewayProblems.Call(async () => Results.Ok(new { removed = await grains.GetGrain<IRegionGrain>(region.ToString()).RemoveMember(neuron) }))));
        }).WithSummary("Removes a stand-alone neuron from a region.");

        writes.MapPost("/regions/slice", async (HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<RegionSliceRequest>(context);
            if (error is not null)
            {
                return error;
            }

            if (request!.Populations.Count == 0 || request.Populations.Any(string.IsNullOrWhiteSpace))
            {
                return GatewayProblems.Invalid("$.populations", "must name at least one population, none empty");
            }

            Network.NetworkSpec spec;
            try
            {
                spec = Network.NetworkSpec.Parse(request.Spec.GetRawText());
            }
            catch (Network.NetworkSpecException e)
            {
                return GatewayProblems.InvalidSpec([.. e.Errors.Select(x => x with { Path = "$.spec" + x.Path[1..] })]);
            }

            return await WithRegion("$.region", request.Region, region => GatewayProblems.Call(async () =>
                Results.Ok(await grains.GetGrain<IRegionGrain>(region.ToString()).AssignSlice(spec.ToJson(), request.Populations))));
        }).WithSummary("Gives a region a slice of a NetworkSpec: the named populations and their projections.");

        reads.MapGet("/neurons/{id}", (string id, IGrainFactory grains) => WithNeuronId(id, neuron =>
            GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).Inspect()))))
            .WithSummary("A neuron: region, population, parameters, behaviour, card and outgoing synapses.");

        reads.MapGet("/neurons/{id}/activity", (string id, IGrainFactory grains) => WithNeuronId(id, neuron =>
            GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).GetActivity()))))
            .WithSummary("Where a hosted neuron runs and what its behaviour did.");

        writes.MapPut("/neurons/{id}", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<NeuronConfigRequest>(context);
            return error ?? await WithNeuronId(id, neuron => WithRegion("$.region", request!.Region, region =>
            {
                var config = new NeuronConfig
                {
                    Region = region,
                    RefractoryTicks = request.RefractoryTicks,
                    Params = (request.Params ?? ImmutableDictionary<string, double>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
                };
                return config.Problem() is { } problem
                    ? Task.FromResult(GatewayProblems.Invalid("$" + FieldOf(problem), problem))
                    : GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).Configure(config)));
            }));
        }).WithSummary("Creates or edits a neuron: its region (fixed once set), refractory ticks and model parameters.");

        writes.MapPost("/neurons/{id}/behaviour", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<BehaviourRequest>(context);
            return error ?? await WithNeuronId(id, neuron =>
                GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).BindBehaviour(request!.Behaviour))));
        }).WithSummary("Binds a registered behaviour to the neuron and hosts it in its silo's agent mesh.");

        reads.MapGet("/neurons/{id}/synapses", (string id, IGrainFactory grains) => WithNeuronId(id, neuron =>
            GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).GetSynapses()))))
            .WithSummary("A neuron's outgoing synapses.");

        writes.MapPut("/neurons/{id}/synapses", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<SynapseRequest>(context);
            if (error is not null)
            {
                return error;
            }

            if (!double.IsFinite(request!.Weight))
            {
                return GatewayProblems.Invalid("$.weight", "must be finite");
            }

            if (!double.IsFinite(request.DelayMs) || request.DelayMs < 0)
            {
                return GatewayProblems.Invalid("$.delayMs", $"must be 0 or more and finite (got {request.DelayMs})");
            }

            return await WithNeuronId(id, neuron => WithNeuron("$.target", request.Target, target =>
                GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).Connect(new OutgoingSynapse(target, request.Weight, request.DelayMs))))));
        }).WithSummary("Adds or changes the outgoing synapse to {target}.");

        writes.MapDelete("/neurons/{id}/synapses/{target}", (string id, string target, IGrainFactory grains) => WithNeuronId(id, neuron => WithNeuronId(target, to =>
            GatewayProblems.Call(async () => Results.Ok(new { removed = await grains.GetGrain<INeuronGrain>(neuron).Disconnect(to) })), "target")))
            .WithSummary("Removes the outgoing synapse to {target}.");
    }

    /// <summary>Runs <paramref name="next"/> with the parsed region path, or answers 400 naming <paramref name="field"/>.</summary>
    public static Task<IResult> WithRegion(string field, string? text, Func<RegionPath, Task<IResult>> next)
        => RegionPath.TryParse(text, out var region, out var problem) ? next(region) : Task.FromResult(GatewayProblems.Invalid(field, problem));

    /// <summary>Runs <paramref name="next"/> with a neuron id from a body number, or answers 400 naming <paramref name="field"/>.</summary>
    public static Task<IResult> WithNeuron(string field, long value, Func<uint, Task<IResult>> next)
        => value is >= 0 and < uint.MaxValue
            ? next((uint)value)
            : Task.FromResult(GatewayProblems.Invalid(field, $"a neuron id is an integer from 0 to {uint.MaxValue - 1} (got {value}; {uint.MaxValue} is the broadcast id)"));

    // A neuron id from the path (route value <paramref name="field"/>), with the same range check as body ids.
    private static Task<IResult> WithNeuronId(string id, Func<uint, Task<IResult>> next, string field = "id")
        => long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? WithNeuron(field, value, next)
            : Task.FromResult(GatewayProblems.Invalid(field, $"a neuron id is an integer from 0 to {uint.MaxValue - 1} (got '{id}')"));

    // NeuronConfig.Problem() starts with "NeuronConfig.Field:"; the JSON path is ".field".
    private static string FieldOf(string problem)
    {
        var colon = problem.IndexOf(':', StringComparison.Ordinal);
        var dot = problem.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || colon < dot)
        {
            return string.Empty;
        }

        var name = problem[(dot + 1)..colon];
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        name = bracket > 0 ? name[..bracket] : name;
        return "." + char.ToLowerInvariant(name[0]) + name[1..];
    }
}
