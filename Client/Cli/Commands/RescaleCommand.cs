using System.CommandLine;

namespace NeuroMesh.Cli.Commands;

internal static class RescaleCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var silos = new Option<int>("--silos") { Description = "Silos to move the run onto (1 to the active silos).", Required = true };
        var command = new Command("rescale", "Move a run, at its last checkpoint, onto another number of silos and carry on there with the same spikes.") { run, silos };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var count = parsed.GetValue(silos);
            if (count < 1)
            {
                throw CliException.BadInput($"--silos must be 1 or more (got {count}).");
            }

            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            var before = await CliContext.ExistingRunAsync(handle);
            var status = await handle.Rescale(count); // too many silos, or a finished or stopped run: refused with the reason (exit 2 or 1)
            ctx.Emit(status, o =>
            {
                o.WriteLine($"rescaled         {status.RunId} at tick {CliContext.Num(status.Tick)}: {before.Silos} -> {status.Silos} silo(s)");
                o.WriteLine($"run              {CliContext.Describe(status)}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
