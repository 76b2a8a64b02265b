using System.CommandLine;

namespace NeuroMesh.Cli.Commands;

internal static class ForkCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run to fork." };
        var at = new Option<long>("--at") { Description = "The tick of the run's snapshot to start from.", Required = true };
        var sets = new Option<string[]>("--set") { Description = "A change, PATH=VALUE (for example populations.E.params.tauM=25 or stimuli.drive.rate=30); repeatable.", AllowMultipleArgumentsPerToken = false };
        var patch = new Option<FileInfo?>("--spec-patch") { Description = "A JSON merge patch (RFC 7386) applied to the spec before the --set changes." };
        var id = new Option<string?>("--run") { Description = "The new run's id (default: RUN-fork-TICK-xxxxxx)." };
        var silos = new Option<int>("--silos") { Description = "Silos to run the fork on (0: every active silo).", DefaultValueFactory = _ => 0 };
        var command = new Command("fork", "Start a new run from a snapshot of another, with changes to its spec or none (then it reproduces the source's remainder).") { run, at, sets, patch, id, silos };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var source = parsed.GetValue(run)!;
            var tick = parsed.GetValue(at);
            var patchFile = parsed.GetValue(patch);
            string? patchJson = null;
            if (patchFile is not null)
            {
                if (!patchFile.Exists)
                {
                    throw CliException.BadInput($"--spec-patch: {patchFile.FullName} does not exist.");
                }

                patchJson = await File.ReadAllTextAsync(patchFile.FullName);
            }

            var name = parsed.GetValue(id) ?? $"{source}-fork-{tick}-{Guid.NewGuid().ToString("N")[..6]}";
            await using var client = await ctx.ConnectAsync();
            await CliContext.ExistingRunAsync(client.Run(source));
            var status = await client.Run(name).Fork(source, tick, patchJson, parsed.GetValue(sets) ?? [], parsed.GetValue(silos));
            ctx.Emit(status, o =>
            {
                o.WriteLine($"forked           {status.RunId} from {source} at tick {CliContext.Num(tick)}");
                o.WriteLine($"run              {CliContext.Describe(status)}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
