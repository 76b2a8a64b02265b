using System.CommandLine;

namespace NeuroMesh.Cli.Commands;

internal static class ReplayCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var toTick = new Option<long>("--to-tick") { Description = "Replay to this tick (default: the last checkpoint).", DefaultValueFactory = _ => -1 };
        var silos = new Option<int>("--silos") { Description = "Silos to replay on (0: as deployed); the spikes do not depend on it.", DefaultValueFactory = _ => 0 };
        var fromStart = new Option<bool>("--from-start") { Description = "Replay from tick 0 instead of the latest engine snapshot (--from-snapshot, the default)." };
        var fromSnapshot = new Option<bool>("--from-snapshot") { Description = "Start from the latest engine snapshot at or before the target tick (the default)." };
        var command = new Command("replay", "Rebuild a run from its log on fresh shards, checking every checkpoint's hash on the way.") { run, toTick, silos, fromStart, fromSnapshot };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var (to, count) = (parsed.GetValue(toTick), parsed.GetValue(silos));
            if (parsed.GetValue(fromStart) && parsed.GetValue(fromSnapshot))
            {
                throw CliException.BadInput("--from-start and --from-snapshot contradict each other; give one.");
            }

            if (count < 0)
            {
                throw CliException.BadInput($"--silos must be 0 or more (got {count}).");
            }

            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            var status = await CliContext.ExistingRunAsync(handle);
            if (to > status.Tick)
            {
                throw CliException.BadInput($"--to-tick {to} is past run '{status.RunId}''s log, which ends at tick {status.Tick}.");
            }

            var report = await handle.Replay(to, count, !parsed.GetValue(fromStart)); // a checkpoint that does not reproduce throws (exit 1), naming its tick and both hashes
            ctx.Emit(report, o =>
            {
                foreach (var c in report.Verified)
                {
                    o.WriteLine($"checkpoint       tick {CliContext.Num(c.Tick)}: {CliContext.Num(c.Spikes)} spikes, hash {c.SpikeTrainHash} reproduced");
                }

                o.WriteLine($"run              {report.RunId} (logged to tick {CliContext.Num(report.LoggedTick)})");
                o.WriteLine(report.FromTick > 0
                    ? $"started from     the snapshot of tick {CliContext.Num(report.FromTick)} (sha256 {report.Snapshot[..12]}…)"
                    : "started from     tick 0");
                o.WriteLine($"replayed to      tick {CliContext.Num(report.Tick)} on {report.Silos} silo(s) in {CliContext.Num(report.WallSeconds, "0.000")} s");
                o.WriteLine($"checkpoints      {report.Verified.Count} reproduced exactly");
                o.WriteLine($"spikes           {CliContext.Num(report.Spikes)}");
                o.WriteLine($"spike-train hash {report.SpikeTrainHash}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
