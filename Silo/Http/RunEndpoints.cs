using System.Text.Json;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using NeuroMesh.Spikes;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// <c>/api/runs/{id}</c>: deploy a NetworkSpec, run, pause, step, stop, inject, replay, and read status, shards and the
/// weight distribution. A run id that was never deployed is a 404 everywhere but deploy.
/// </summary>
internal static class RunEndpoints
{
    public static void Map(RouteGroupBuilder reads, RouteGroupBuilder writes)
    {
        reads.MapGet("/runs/{id}", (string id, IGrainFactory grains) => GatewayProblems.Call(async () =>
        {
            var status = await Known(grains, id);
            return status is null ? Missing(id) : Results.Ok(status);
        })).WithSummary("A run's status: phase, tick, spikes, spike-train hash, placement.");

        reads.MapGet("/runs/{id}/populations", (string id, IGrainFactory grains) => GatewayProblems.Call(async () =>
            CheckId(id) ?? (await SpikeTapSession.PopulationsAsync(grains, id) is { } populations ? Results.Ok(populations) : Missing(id))))
            .WithSummary("The run's populations and their neuron ranges (for filters and colours).");

        reads.MapGet("/runs/{id}/weights", (string id, int? bins, IGrainFactory grains) => bins is < 1 or > 1000
            ? Task.FromResult(GatewayProblems.Invalid("bins", $"must be between 1 and 1000 (got {bins})"))
            : GatewayProblems.Call(async () => await Known(grains, id) is null
                ? Missing(id)
                : Results.Ok(WeightHistogram.Of(await grains.GetGrain<ISimulationGrain>(id).SampleWeights(), bins ?? 40))))
            .WithSummary("A histogram of the run's synaptic weights (the plastic ones when it has any), from an even sample of them.");

        reads.MapGet("/runs/{id}/snapshots/{tick:long}", (string id, long tick, IGrainFactory grains) => GatewayProblems.Call(async () =>
            await Known(grains, id) is null
                ? Missing(id)
                : Results.File(await grains.GetGrain<ISimulationGrain>(id).ExportSnapshot(tick), "application/octet-stream", $"{id}-{tick}.nmsnap")))
            .WithSummary("The run's engine snapshot of {tick} as a portable file (header, spec, engine state, SHA-256; see docs/snapshots.md).");

        reads.MapGet("/runs/{id}/shards", (string id, IGrainFactory grains) => GatewayProblems.Call(async () =>
            await Known(grains, id) is null ? Missing(id) : Results.Ok(await grains.GetGrain<ISimulationGrain>(id).GetShards())))
            .WithSummary("The run's region shards: silo, neuron range, synapses, window and cross-silo spike accounting.");

        writes.MapPost("/runs/{id}/deploy", async (string id, int? silos, HttpContext context, IGrainFactory grains) =>
        {
            if (CheckId(id) is { } bad)
            {
                return bad;
            }

            if (silos is < 0)
            {
                return GatewayProblems.Invalid("silos", $"must be 0 (every active silo) or more (got {silos})");
            }

            var (text, error) = await JsonBody.ReadText(context);
            if (error is not null)
            {
                return error;
            }

            // Call answers a NetworkSpecException with every problem by its JSON path.
            return await GatewayProblems.Call(async () =>
            {
                var spec = NetworkSpec.Parse(text!);
                var status = await grains.GetGrain<ISimulationGrain>(id).Deploy(spec.ToJson(), silos ?? 0);
                return Results.Created($"/api/runs/{Uri.EscapeDataString(id)}", status);
            });
        }).WithSummary("Deploys a NetworkSpec (the request body) as run {id}, on ?silos=N silos (0: every active silo).");

        writes.MapPost("/runs/{id}/start", (string id, double? pace, IGrainFactory grains) => pace is { } p && !(p is >= 0 and <= 1000)
                ? Task.FromResult(GatewayProblems.Invalid("pace", $"must be between 0 (as fast as it can) and 1000 simulated seconds per second (got {p})"))
                : Control(grains, id, run => run.Start(pace ?? 0)))
            .WithSummary("Runs in the background to the end of the spec's duration; ?pace=1 holds it to real time (0: as fast as it can).");
        writes.MapPost("/runs/{id}/pause", (string id, IGrainFactory grains) => Control(grains, id, run => run.Pause()))
            .WithSummary("Pauses a background run after its current window.");
        writes.MapPost("/runs/{id}/stop", (string id, IGrainFactory grains) => Control(grains, id, run => run.Stop()))
            .WithSummary("Stops the run for good.");

        writes.MapPost("/runs/{id}/step", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<StepRequest>(context);
            return error ?? Fail(request!.Check()) ?? await Control(grains, id, run => run.Step(request.Ticks));
        }).WithSummary("Runs {ticks} ticks and answers when they are confirmed.");

        writes.MapPost("/runs/{id}/inject", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<InjectRequest>(context);
            return error ?? Fail(request!.Check()) ?? await Control(grains, id, run => run.Inject(ToInputs(request.Inputs)));
        }).WithSummary("Schedules external inputs (tick, neuron, weight, channel) from the run's current tick on; channel 'modulatory' is a reward to a neuron that receives R-STDP synapses.");

        writes.MapPost("/runs/{id}/reward", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<RewardRequest>(context);
            return error ?? Fail(request!.Check()) ?? await Control(grains, id, run => run.Reward(request.Amount, request.Population, request.Tick ?? -1));
        }).WithSummary("Sends a reward {amount} to a {population} (left out: every neuron that receives R-STDP synapses) at {tick} (left out: now); logged with the run.");

        writes.MapPost("/runs/{id}/replay", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<ReplayRequest>(context);
            return error ?? Fail(request!.Check()) ?? await GatewayProblems.Call(async () => await Known(grains, id) is null
                ? Missing(id)
                : Results.Ok(await grains.GetGrain<ISimulationGrain>(id).Replay(request.ToTick, request.Silos, request.FromSnapshot)));
        }).WithSummary("Rebuilds the run to {toTick} (-1: its last checkpoint) from its latest snapshot ({fromSnapshot}: true) or from tick 0, checking every checkpoint after that.");

        writes.MapPost("/runs/{id}/rescale", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<RescaleRequest>(context);
            return error ?? Fail(request!.Check()) ?? await Control(grains, id, run => run.Rescale(request.Silos));
        }).WithSummary("Moves the run, at its last checkpoint, onto {silos} silos; it carries on there with the same spikes.");

        writes.MapPost("/runs/{id}/fork", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            if (CheckId(id) is { } bad)
            {
                return bad;
            }

            var (request, error) = await JsonBody.Read<ForkRequest>(context);
            return error ?? Fail(request!.Check()) ?? await GatewayProblems.Call(async () =>
            {
                var status = await grains.GetGrain<ISimulationGrain>(id).Fork(
                    request.From, request.Tick, request.SpecPatch is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } patch ? patch.GetRawText() : null,
                    request.Set ?? [], request.Silos);
                return Results.Created($"/api/runs/{Uri.EscapeDataString(id)}", status);
            });
        }).WithSummary("Starts run {id} from run {from}'s snapshot of {tick}, with a JSON merge patch {specPatch} and PATH=VALUE changes {set}, or none.");
    }

    /// <summary>The inputs as the cluster takes them (already checked).</summary>
    public static ExternalInput[] ToInputs(IReadOnlyList<InjectInput> inputs)
        => [.. inputs.Select(i => new ExternalInput(i.Tick, i.Neuron, i.Weight, i.Channel switch
        {
            "inhibitory" => SpikeType.Inhibitory,
            "modulatory" => SpikeType.Modulatory,
            _ => SpikeType.Excitatory,
        }))];

    /// <summary>The run's status, or null when nothing was ever deployed under <paramref name="id"/>.</summary>
    public static async Task<RunStatus?> Known(IGrainFactory grains, string id)
    {
        if (CheckId(id) is not null)
        {
            return null;
        }

        var status = await grains.GetGrain<ISimulationGrain>(id).GetStatus();
        return status.Phase == RunPhase.Empty ? null : status;
    }

    /// <summary>A 400 for <paramref name="problem"/>, or null.</summary>
    public static IResult? Fail((string Field, string Message)? problem) => problem is { } p ? GatewayProblems.Invalid(p.Field, p.Message) : null;

    private static Task<IResult> Control(IGrainFactory grains, string id, Func<ISimulationGrain, Task<RunStatus>> action)
        => GatewayProblems.Call(async () => await Known(grains, id) is null ? Missing(id) : Results.Ok(await action(grains.GetGrain<ISimulationGrain>(id))));

    /// <summary>The answer for a run that is not there: 400 (naming <paramref name="field"/>) for an invalid id, else 404.</summary>
    public static IResult Missing(string id, string field = "id") => CheckId(id, field) ?? GatewayProblems.NotFound($"no run '{id}' has been deployed");

    /// <summary>A 400 naming <paramref name="field"/> when <paramref name="id"/> is not a valid run id, else null.</summary>
    public static IResult? CheckId(string id, string field = "id")
        => id.Length is 0 or > 128 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            ? GatewayProblems.Invalid(field, "a run id is 1 to 128 characters of letters, digits, '-', '_' and '.'")
            : null;
}
