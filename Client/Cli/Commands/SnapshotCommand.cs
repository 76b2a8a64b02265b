using System.CommandLine;

namespace NeuroMesh.Cli.Commands;

internal static class SnapshotCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var command = new Command("snapshot", "Move engine snapshots between clusters as portable files.") { Export(handler), Import(handler) };
        return command;
    }

    private static Command Export(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run." };
        var file = new Argument<FileInfo>("file") { Description = "The file to write (.nmsnap)." };
        var at = new Option<long>("--at") { Description = "The tick of the snapshot.", Required = true };
        var command = new Command("export", "Write a run's snapshot of a tick to a file (header, spec, engine state, SHA-256).") { run, file, at };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var path = parsed.GetValue(file)!.FullName;
            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            await CliContext.ExistingRunAsync(handle);
            var bytes = await handle.ExportSnapshot(parsed.GetValue(at)); // no snapshot of that tick: refused, naming the nearest
            await File.WriteAllBytesAsync(path, bytes);
            ctx.Emit(new { path, bytes = bytes.Length }, o => o.WriteLine($"wrote            {path}: {CliContext.Num(bytes.Length)} bytes"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(NeuroMeshCli.Handler handler)
    {
        var file = new Argument<FileInfo>("file") { Description = "A snapshot file written by snapshot export." };
        var id = new Option<string?>("--run") { Description = "The new run's id (default: imported-xxxxxx)." };
        var silos = new Option<int>("--silos") { Description = "Silos to run it on (0: every active silo).", DefaultValueFactory = _ => 0 };
        var command = new Command("import", "Start a new run from a snapshot file; it goes on exactly as the run it came from.") { file, id, silos };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var info = parsed.GetValue(file)!;
            if (!info.Exists)
            {
                throw CliException.BadInput($"{info.FullName} does not exist.");
            }

            var name = parsed.GetValue(id) ?? $"imported-{Guid.NewGuid().ToString("N")[..6]}";
            await using var client = await ctx.ConnectAsync();
            var status = await client.Run(name).Import(await File.ReadAllBytesAsync(info.FullName), parsed.GetValue(silos)); // a damaged or newer file: refused with the reason
            ctx.Emit(status, o =>
            {
                o.WriteLine($"imported         {status.RunId} from {info.FullName} at tick {CliContext.Num(status.Tick)}");
                o.WriteLine($"run              {CliContext.Describe(status)}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
