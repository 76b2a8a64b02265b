using System.CommandLine;
using NeuroMesh.Agents;
using NeuroMesh.Regions;

namespace NeuroMesh.Cli.Commands;

internal static class AgentsCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var command = new Command("agents", "Register agents, discover them by capability, deploy WebAssembly behaviours.");
        command.Subcommands.Add(Find(handler));
        command.Subcommands.Add(Register(handler));
        command.Subcommands.Add(WasmDeployCommand.Create(handler));
        return command;
    }

    private static object Json(AgentCard c) => new { c.Name, c.NeuronId, Capabilities = c.Capabilities.ToArray(), Regions = c.Regions.Select(r => r.ToString()).ToArray(), c.Metadata };

    private static Command Find(NeuroMeshCli.Handler handler)
    {
        var capability = new Option<string[]>("--capability", "-c") { Description = "A capability the agents must have; repeat for several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var within = new Option<string>("--within") { Description = "Search this region's subtree (default: the root, everywhere).", DefaultValueFactory = _ => "/" };
        var any = new Option<bool>("--any") { Description = "Match agents with any of the capabilities instead of all." };
        var command = new Command("find", "Find the agents that have a capability (by neuron id).") { capability, within, any };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var capabilities = parsed.GetValue(capability)!;
            var region = parsed.GetValue(within)!;
            if (!RegionPath.TryParse(region, null, out _))
            {
                throw CliException.BadInput($"--within '{region}' is not a region path (such as cortex/language).");
            }

            await using var client = await ctx.ConnectAsync();
            IReadOnlyList<AgentCard> cards;
            try
            {
                cards = await client.FindAgents(capabilities, region, parsed.GetValue(any) ? CapabilityMatch.Any : CapabilityMatch.All);
            }
            catch (KeyNotFoundException)
            {
                throw CliException.NotFound($"region '{region}' not found: nothing was ever recorded there.");
            }

            ctx.Emit(new { capabilities, within = region, agents = cards.Select(Json).ToArray() }, o =>
            {
                if (cards.Count == 0)
                {
                    o.WriteLine($"no agent in {region} has {string.Join(parsed.GetValue(any) ? " or " : " and ", capabilities)}");
                }

                foreach (var c in cards)
                {
                    o.WriteLine($"{c.NeuronId,10}  {c.Name}  capabilities [{string.Join(", ", c.Capabilities)}]  regions [{string.Join(", ", c.Regions)}]");
                }
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Register(NeuroMeshCli.Handler handler)
    {
        var neuron = new Option<uint>("--neuron") { Description = "The neuron that is the agent.", Required = true };
        var name = new Option<string>("--name") { Description = "The agent's name.", Required = true };
        var region = new Option<string>("--region") { Description = "The region it lives in (the card's owner).", Required = true };
        var capability = new Option<string[]>("--capability", "-c") { Description = "A capability; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("register", "Register an agent card in a region, for discovery.") { neuron, name, region, capability };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var path = RegionPath.Parse(parsed.GetValue(region)!);
            var card = new AgentCard(parsed.GetValue(name)!, parsed.GetValue(neuron), parsed.GetValue(capability) ?? [], [path]);
            await using var client = await ctx.ConnectAsync();
            var registered = await client.RegisterAgent(card);
            ctx.Emit(Json(registered), o => o.WriteLine($"registered       {registered}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
