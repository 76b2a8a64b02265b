using System.CommandLine;
using NeuroMesh.Simulation;

namespace NeuroMesh.Cli.Commands;

internal static class CheckpointCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var list = new Option<bool>("--list") { Description = "List every checkpoint in the run's log." };
        var resume = new Option<bool>("--resume") { Description = "A run that was running is started again after its checkpoint (at full speed)." };
        var command = new Command("checkpoint", "Checkpoint a run now (a running run pauses after its current window, which logs tick, spikes and hash) and print it.") { run, list, resume };
        handler.Bind(command, async (ctx, parsed) =>
        {
            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            var status = await CliContext.ExistingRunAsync(handle);
            var wasRunning = status.Phase == RunPhase.Running;
            if (wasRunning)
            {
                status = await handle.Pause();
            }

            var checkpoints = await handle.Checkpoints();
            if (wasRunning && parsed.GetValue(resume))
            {
                status = await handle.Start();
            }

            var latest = checkpoints.Count == 0 ? null : checkpoints[^1];
            var shown = parsed.GetValue(list) ? checkpoints : latest is null ? [] : [latest];
            ctx.Emit(new { status, paused = wasRunning && !parsed.GetValue(resume), latest, checkpoints = shown }, o =>
            {
                if (latest is null)
                {
                    o.WriteLine($"{status.RunId} has no checkpoint yet (nothing has run); tick 0 needs none.");
                    return;
                }

                foreach (var c in shown)
                {
                    o.WriteLine($"checkpoint       tick {CliContext.Num(c.Tick)}: {CliContext.Num(c.Spikes)} spikes, hash {c.SpikeTrainHash}");
                }

                o.WriteLine($"run              {CliContext.Describe(status)}{(wasRunning && !parsed.GetValue(resume) ? " (paused for the checkpoint; `neuromesh run` goes on)" : string.Empty)}");
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
