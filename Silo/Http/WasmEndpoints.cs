using Microsoft.Extensions.Options;
using NeuroMesh.Agents;
using NeuroMesh.Agents.Wasm;
using NeuroMesh.Neurons;
using NeuroMesh.Regions;

namespace NeuroMesh.Silo.Http;

/// <summary>
/// <c>/api/wasm/modules/{hash}</c>: upload a WebAssembly module (the raw binary, content-addressed by its SHA-256) and read
/// its description; hot swaps onto a neuron or a region's members. Binding uses <c>POST /api/neurons/{id}/behaviour</c>
/// with the behaviour <c>wasm:{hash}</c>.
/// </summary>
internal static class WasmEndpoints
{
    public static void Map(RouteGroupBuilder reads, RouteGroupBuilder writes)
    {
        writes.MapPut("/wasm/modules/{hash}", async (string hash, HttpContext context, IGrainFactory grains) =>
        {
            if (!WasmModuleName.IsHash(hash))
            {
                return GatewayProblems.Invalid("hash", $"a module is named by the SHA-256 of its binary, 64 hex digits (got '{hash}')");
            }

            var (bytes, error) = await ReadModule(context);
            if (error is not null)
            {
                return error;
            }

            var actual = WasmRuntime.HashOf(bytes);
            if (!string.Equals(actual, hash, StringComparison.OrdinalIgnoreCase))
            {
                return GatewayProblems.Invalid("hash", $"the body's SHA-256 is {actual}, not {hash.ToLowerInvariant()}");
            }

            return await GatewayProblems.Call(async () =>
            {
                var grain = grains.GetGrain<IWasmModuleGrain>(actual);
                var existed = await grain.Describe() is not null;
                var stored = await grain.Store(bytes);
                return existed ? Results.Ok(stored) : Results.Created($"/api/wasm/modules/{actual}", stored);
            });
        }).WithSummary("Uploads a WebAssembly module (the raw binary, application/wasm) under its SHA-256; it is checked against the ABI first.");

        reads.MapGet("/wasm/modules/{hash}", (string hash, IGrainFactory grains) => !WasmModuleName.IsHash(hash)
            ? Task.FromResult(GatewayProblems.Invalid("hash", $"a module is named by the SHA-256 of its binary, 64 hex digits (got '{hash}')"))
            : GatewayProblems.Call(async () =>
                await grains.GetGrain<IWasmModuleGrain>(hash.ToLowerInvariant()).Describe() is { } info
                    ? Results.Ok(info)
                    : GatewayProblems.NotFound($"no WebAssembly module with SHA-256 {hash.ToLowerInvariant()} was deployed")))
            .WithSummary("A deployed module: hash, size, state version and optional exports.");

        writes.MapPost("/neurons/{id}/wasm-swap", async (string id, HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<NeuronWasmSwapRequest>(context);
            if (error is not null)
            {
                return error;
            }

            if (!uint.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var neuron) || neuron == uint.MaxValue)
            {
                return GatewayProblems.Invalid("id", $"a neuron id is an integer from 0 to {uint.MaxValue - 1} (got '{id}')");
            }

            return !WasmModuleName.IsHash(WithoutPrefix(request!.Module))
                ? GatewayProblems.Invalid("$.module", $"a module is named by its SHA-256, 64 hex digits, or wasm: and those (got '{request.Module}')")
                : await GatewayProblems.Call(async () => Results.Ok(await grains.GetGrain<INeuronGrain>(neuron).SwapWasmModule(request.Module)));
        }).WithSummary("Hot-swaps a neuron's WebAssembly behaviour for a deployed module, between two passes of its mesh.");

        writes.MapPost("/regions/wasm-swap", async (HttpContext context, IGrainFactory grains) =>
        {
            var (request, error) = await JsonBody.Read<RegionWasmSwapRequest>(context);
            if (error is not null)
            {
                return error;
            }

            if (!WasmModuleName.IsHash(WithoutPrefix(request!.Module)))
            {
                return GatewayProblems.Invalid("$.module", $"a module is named by its SHA-256, 64 hex digits, or wasm: and those (got '{request.Module}')");
            }

            if (request.From is not null && !WasmModuleName.IsHash(WithoutPrefix(request.From)))
            {
                return GatewayProblems.Invalid("$.from", $"a module is named by its SHA-256, 64 hex digits, or wasm: and those (got '{request.From}')");
            }

            return await TopologyEndpoints.WithRegion("$.region", request.Region, region => GatewayProblems.Call(async () =>
                Results.Ok(await grains.GetGrain<IRegionGrain>(region.ToString()).SwapWasmModule(request.Module, request.From))));
        }).WithSummary("Hot-swaps a deployed module onto a region's members that run a WebAssembly behaviour (optionally only those running $.from).");
    }

    private static string WithoutPrefix(string module)
        => module.StartsWith(WasmModuleName.Prefix, StringComparison.OrdinalIgnoreCase) ? module[WasmModuleName.Prefix.Length..] : module;

    /// <summary>The raw body, at most the smaller of the gateway's body limit and the WebAssembly host's module limit (413 above it).</summary>
    private static async Task<(byte[] Bytes, IResult? Error)> ReadModule(HttpContext context)
    {
        var gateway = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxBodyBytes;
        var wasm = context.RequestServices.GetRequiredService<IOptions<WasmOptions>>().Value.MaxModuleBytes;
        var max = Math.Min(gateway, wasm);
        var setting = wasm <= gateway ? "NeuroMesh:Wasm:MaxModuleBytes" : "NeuroMesh:Gateway:MaxBodyBytes";
        if (context.Request.ContentLength > max)
        {
            return ([], TooLarge(max, setting));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return ([], TooLarge(max, setting));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0
            ? ([], GatewayProblems.Invalid("$", "the request body must be the module's binary; it is empty"))
            : (buffer.ToArray(), null);
    }

    private static IResult TooLarge(int max, string setting)
        => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Module too large", detail: $"the module is larger than {setting} ({max} bytes)");
}
