using System.CommandLine;
using System.Diagnostics;
using NeuroMesh.Client;
using NeuroMesh.Simulation;
using Spectre.Console;

namespace NeuroMesh.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var ticks = new Option<long?>("--ticks") { Description = "Ticks to run (default: to the end of the spec's duration)." };
        var chunk = new Option<int>("--chunk") { Description = "Ticks per step (each step is a checkpoint in the run's log).", DefaultValueFactory = _ => 1000 };
        var pace = new Option<double>("--pace") { Description = "Run in the background at this many simulated seconds per second (1: real time) to the end; 0: step as fast as possible.", DefaultValueFactory = _ => 0 };
        var command = new Command("run", "Run a deployed run, with a progress bar: simulated time, firing rate and real-time factor.") { run, ticks, chunk, pace };
        handler.Bind(command, async (ctx, parsed) =>
        {
            var (chunkTicks, paceValue, asked) = (parsed.GetValue(chunk), parsed.GetValue(pace), parsed.GetValue(ticks));
            if (chunkTicks < 1)
            {
                throw CliException.BadInput($"--chunk must be 1 or more (got {chunkTicks}).");
            }

            if (asked is < 1)
            {
                throw CliException.BadInput($"--ticks must be 1 or more (got {asked}).");
            }

            if (!(paceValue is >= 0 and <= 1000) || (paceValue > 0 && asked is not null))
            {
                throw CliException.BadInput(paceValue > 0 && asked is not null ? "--pace runs to the end; it cannot be combined with --ticks." : $"--pace must be in [0, 1000] (got {paceValue}).");
            }

            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            var start = await CliContext.ExistingRunAsync(handle);
            if (start.Phase is RunPhase.Finished or RunPhase.Stopped)
            {
                throw new CliException(ExitCodes.Failed, $"run '{start.RunId}' is {start.Phase.ToString().ToLowerInvariant()} at tick {start.Tick}; nothing is left to run (replay it, or deploy a new run).");
            }

            var target = Math.Min(start.TotalTicks, start.Tick + (asked ?? start.TotalTicks));
            var progress = new Progress(ctx, start, target);
            var final = ctx.Interactive
                ? await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(ctx.Out) }).Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async live =>
                    {
                        var task = live.AddTask(progress.Line(start), maxValue: target - start.Tick);
                        return await Drive(handle, ctx, paceValue, chunkTicks, target, s =>
                        {
                            task.Value = s.Tick - start.Tick;
                            task.Description = progress.Line(s);
                        });
                    })
                : await Drive(handle, ctx, paceValue, chunkTicks, target, s => progress.Report(s));
            var summary = progress.Summary(final);
            ctx.Emit(summary, o =>
            {
                o.WriteLine(CliContext.Describe(final));
                o.WriteLine($"ran              {CliContext.Num(summary.TicksRun)} ticks ({CliContext.Num(summary.SimulatedSeconds, "0.000")} s simulated) in {CliContext.Num(summary.WallSeconds, "0.000")} s");
                o.WriteLine($"mean rate        {CliContext.Num(summary.MeanRateHz, "0.00")} Hz over the whole run");
                o.WriteLine($"real-time factor {CliContext.Num(summary.RealTimeFactor, "0.00")} (wall / simulated; below 1 is faster than real time)");
                o.WriteLine($"spike-train hash {final.SpikeTrainHash}");
            });
            return ctx.Cancellation.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Steps (or, paced, starts and watches) the run to <paramref name="target"/>; Ctrl+C stops after the current step.</summary>
    private static async Task<RunStatus> Drive(SimulationRun run, CliContext ctx, double pace, int chunk, long target, Action<RunStatus> report)
    {
        var status = await run.Status();
        if (pace > 0)
        {
            status = await run.Start(pace);
            while (status.Phase == RunPhase.Running && !ctx.Cancellation.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
                status = await run.Status();
                report(status);
            }

            return status.Phase == RunPhase.Running ? await run.Pause() : status;
        }

        while (status.Tick < target && !ctx.Cancellation.IsCancellationRequested)
        {
            status = await run.Step(Math.Min(chunk, target - status.Tick));
            report(status);
        }

        return status;
    }

    internal sealed record RunSummary(RunStatus Status, long TicksRun, double SimulatedSeconds, double WallSeconds, double RealTimeFactor, double MeanRateHz);

    private sealed class Progress(CliContext ctx, RunStatus start, long target)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastReport;

        public string Line(RunStatus s)
        {
            var simulated = (s.Tick - start.Tick) * s.DtMs / 1000.0;
            var rtf = simulated > 0 ? _clock.Elapsed.TotalSeconds / simulated : 0;
            return $"sim {CliContext.Num(s.Tick * s.DtMs / 1000.0, "0.000")}/{CliContext.Num(target * s.DtMs / 1000.0, "0.000")} s · {CliContext.Num(Rate(s), "0.0")} Hz · RTF {CliContext.Num(rtf, "0.00")}";
        }

        /// <summary>Without a terminal: a progress line on stderr at most once a second.</summary>
        public void Report(RunStatus s)
        {
            if (ctx.Json || _clock.Elapsed - _lastReport < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _lastReport = _clock.Elapsed;
            ctx.Err.WriteLine($"tick {CliContext.Num(s.Tick)}/{CliContext.Num(target)} · {Line(s)}");
        }

        public RunSummary Summary(RunStatus s)
        {
            var simulated = (s.Tick - start.Tick) * s.DtMs / 1000.0;
            var wall = _clock.Elapsed.TotalSeconds;
            return new RunSummary(s, s.Tick - start.Tick, simulated, wall, simulated > 0 ? wall / simulated : 0, Rate(s));
        }

        private static double Rate(RunStatus s) => new RunStatistics(s, []).MeanRateHz;
    }
}
