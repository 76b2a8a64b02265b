using System.CommandLine;
using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Cli.Commands;

/// <summary><c>neuromesh agents deploy --wasm FILE</c>: upload a module, then bind it to neurons or hot-swap it onto a region.</summary>
internal static class WasmDeployCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var wasm = new Option<FileInfo>("--wasm") { Description = "The WebAssembly module (a .wasm binary) to upload.", Required = true };
        var neuron = new Option<uint[]>("--neuron") { Description = "Bind the module to this configured neuron; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var region = new Option<string>("--region") { Description = "Hot-swap the module onto this region's members that run a WebAssembly behaviour." };
        var from = new Option<string>("--from") { Description = "With --region: swap only the members running this module (its SHA-256)." };
        var command = new Command("deploy", "Upload a WebAssembly behaviour (stored by its SHA-256 in the delta log); optionally bind it or hot-swap it onto a region.")
        {
            wasm, neuron, region, from,
        };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var file = parsed.GetValue(wasm)!;
            var neurons = parsed.GetValue(neuron) ?? [];
            var path = parsed.GetValue(region);
            var only = parsed.GetValue(from);
            if (!file.Exists)
            {
                throw CliException.BadInput($"--wasm '{file.FullName}' does not exist.");
            }

            if (path is not null && !RegionPath.TryParse(path, null, out _))
            {
                throw CliException.BadInput($"--region '{path}' is not a region path (such as cortex/language).");
            }

            if (only is not null && (path is null || !WasmModuleName.IsHash(only.StartsWith(WasmModuleName.Prefix, StringComparison.OrdinalIgnoreCase) ? only[WasmModuleName.Prefix.Length..] : only)))
            {
                throw CliException.BadInput(path is null ? "--from needs --region." : $"--from '{only}' is not a module hash (64 hex digits).");
            }

            var bytes = await File.ReadAllBytesAsync(file.FullName);
            await using var client = await ctx.ConnectAsync();
            WasmModuleInfo module;
            try
            {
                module = await client.DeployWasmModule(bytes);
            }
            catch (ArgumentException e)
            {
                throw CliException.BadInput($"{file.Name}: {e.Message}");
            }

            var bound = new List<object>();
            foreach (var id in neurons)
            {
                try
                {
                    var info = await client.Neuron(id).BindWasmModule(module.Hash);
                    bound.Add(new { neuron = info.Id, behaviour = info.Behaviour });
                }
                catch (KeyNotFoundException e)
                {
                    throw CliException.NotFound($"neuron {id}: {e.Message} (module {module.Hash} is uploaded; {bound.Count} neuron(s) were bound before it)");
                }
            }

            WasmRegionSwap? swap = null;
            if (path is not null)
            {
                swap = await client.Region(path).SwapWasmModule(module.Hash, only);
            }

            ctx.Emit(
                new
                {
                    module = new { module.Hash, module.Behaviour, module.SizeBytes, module.StateVersion, exports = module.Exports.ToArray() },
                    bound = bound.ToArray(),
                    swap = swap is null ? null : new
                    {
                        swap.Region,
                        swap.To,
                        swapped = swap.Swapped.Select(s => new { s.Neuron, s.From, s.To, s.StateKept, s.Hosted }).ToArray(),
                        skipped = swap.Skipped.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value),
                        failed = swap.Failed.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value),
                    },
                },
                o =>
                {
                    o.WriteLine($"deployed         {module.Behaviour}  ({module.SizeBytes} bytes, state version {module.StateVersion})");
                    foreach (var id in neurons)
                    {
                        o.WriteLine($"bound            neuron {id}");
                    }

                    if (swap is not null)
                    {
                        o.WriteLine($"swapped          {swap.Swapped.Length} member(s) of {swap.Region}, {swap.Skipped.Count} skipped, {swap.Failed.Count} failed");
                        foreach (var s in swap.Swapped)
                        {
                            o.WriteLine($"{s.Neuron,10}  {s.From} -> {s.To}  state {(s.StateKept ? "kept" : "reset")}");
                        }

                        foreach (var (id, why) in swap.Failed)
                        {
                            o.WriteLine($"{id,10}  failed: {why}");
                        }
                    }
                });
            return swap is { Failed.Count: > 0 } ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }
}
