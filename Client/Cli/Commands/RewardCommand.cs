using System.CommandLine;
using NeuroMesh.Client;

namespace NeuroMesh.Cli.Commands;

/// <summary><c>neuromesh reward RUN --amount A [--population P | --neurons SET] [--tick T]</c>: a reward that R-STDP learns from.</summary>
internal static class RewardCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var amount = new Option<double>("--amount", "-a") { Description = "The reward (positive) or punishment (negative) each target neuron receives.", Required = true };
        var population = new Option<string?>("--population", "-p") { Description = "Reward this population (it must receive R-STDP synapses)." };
        var neurons = new Option<string?>("--neurons", "-n") { Description = "Reward these neurons: ids and inclusive ranges, such as 150-199 (each must receive R-STDP synapses)." };
        var tick = new Option<long?>("--tick", "-t") { Description = "The tick whose update the reward acts in (default: the run's current tick)." };
        var command = new Command("reward", "Send a reward (a modulatory input, logged with the run) to a population, a neuron set, or, with neither, every neuron that receives R-STDP synapses.")
        {
            run, amount, population, neurons, tick,
        };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var (pop, set) = (parsed.GetValue(population), parsed.GetValue(neurons));
            if (pop is not null && set is not null)
            {
                throw CliException.BadInput("Name either --population or --neurons, not both.");
            }

            var targets = set is null ? null : NeuronSet.Parse(set);
            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            await CliContext.ExistingRunAsync(handle);
            var value = parsed.GetValue(amount);
            var status = targets is null
                ? await handle.Reward(value, pop, parsed.GetValue(tick))
                : await handle.Reward(value, targets, parsed.GetValue(tick));
            var to = targets?.ToString() ?? pop ?? "every neuron with R-STDP synapses";
            ctx.Emit(new { status, amount = value, tick = parsed.GetValue(tick), population = pop, neurons = targets?.ToString() }, o =>
                o.WriteLine($"rewarded         {CliContext.Num(value, "0.###")} to {to} of run {status.RunId} (at tick {CliContext.Num(parsed.GetValue(tick) ?? status.Tick)})"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
