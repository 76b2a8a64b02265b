using System.CommandLine;
using NeuroMesh.Network;

namespace NeuroMesh.Cli.Commands;

internal static class DeployCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var file = new Argument<FileInfo>("spec") { Description = "The NetworkSpec JSON file (see examples/)." };
        var runId = new Option<string?>("--run") { Description = "The run id (default: the file name, the UTC time and 6 random hex digits)." };
        var silos = new Option<int>("--silos") { Description = "Silos to place the run on (0: every active silo).", DefaultValueFactory = _ => 0 };
        var command = new Command("deploy", "Validate a spec file and deploy it as a new run; prints the run id.") { file, runId, silos };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var path = parsed.GetValue(file)!;
            if (!path.Exists)
            {
                throw CliException.BadInput($"spec file '{path.FullName}' does not exist.");
            }

            var spec = NetworkSpec.Load(path.FullName); // an invalid spec stops here, each problem with its JSON path
            var count = parsed.GetValue(silos);
            if (count < 0)
            {
                throw CliException.BadInput($"--silos must be 0 or more (got {count}).");
            }

            var id = parsed.GetValue(runId) ?? $"{Path.GetFileNameWithoutExtension(path.Name)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..^26];
            await using var client = await ctx.ConnectAsync();
            var status = await client.Run(id).Deploy(spec, count);
            ctx.Emit(status, o =>
            {
                o.WriteLine($"run              {status.RunId}");
                o.WriteLine($"network          {path.Name}: {CliContext.Num(spec.NeuronCount)} neurons, {CliContext.Num(status.TotalTicks)} ticks (dt {CliContext.Num(spec.Dt, "0.###")} ms, {CliContext.Num(spec.Duration / 1000.0, "0.###")} s simulated), seed {status.Seed}");
                o.WriteLine($"spec hash        {status.SpecHash}");
                o.WriteLine($"next             neuromesh run {status.RunId}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
