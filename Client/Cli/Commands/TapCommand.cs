using System.CommandLine;
using System.Text.Json;
using System.Threading.Channels;
using NeuroMesh.Cli.Formats;
using NeuroMesh.Client;
using NeuroMesh.Simulation;

namespace NeuroMesh.Cli.Commands;

internal static class TapCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var neurons = new Option<string?>("--neurons", "-n") { Description = "Only these neurons: ids and inclusive ranges, such as 0-99,200." };
        var region = new Option<string?>("--region") { Description = "Only the neurons of this region (its members and populations)." };
        var limit = new Option<long>("--limit") { Description = "Stop after this many spikes (0: no limit).", DefaultValueFactory = _ => 0 };
        var start = new Option<bool>("--start") { Description = "Start the run once subscribed (otherwise wait for someone to run it)." };
        var pace = new Option<double>("--pace") { Description = "With --start: simulated seconds per second (1: real time; 0: as fast as possible).", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--timeout") { Description = "Stop after this many seconds (0: when the run ends, or on Ctrl+C).", DefaultValueFactory = _ => 0 };
        var command = new Command("tap", "Print a run's spikes live as it runs (tick, time in ms, neuron), filtered by neurons or region.") { run, neurons, region, limit, start, pace, timeout };
        handler.Bind(command, async (ctx, parsed) =>
        {
            if (parsed.GetValue(neurons) is not null && parsed.GetValue(region) is not null)
            {
                throw CliException.BadInput("give --neurons or --region, not both.");
            }

            var (max, seconds) = (parsed.GetValue(limit), parsed.GetValue(timeout));
            if (max < 0 || seconds < 0)
            {
                throw CliException.BadInput($"--limit and --timeout must be 0 or more (got {max} and {seconds}).");
            }

            var set = parsed.GetValue(neurons) is { } text ? NeuronSet.Parse(text) : NeuronSet.All;
            await using var client = await ctx.ConnectAsync();
            if (parsed.GetValue(region) is { } path)
            {
                try
                {
                    set = NeuronSet.Of(await client.Region(path).Inspect());
                }
                catch (KeyNotFoundException)
                {
                    throw CliException.NotFound($"region '{path}' not found: nothing was ever recorded there.");
                }
            }

            var handle = client.Run(parsed.GetValue(run)!);
            await CliContext.ExistingRunAsync(handle);
            var batches = Channel.CreateUnbounded<SpikeTapBatch>();
            var subscription = await handle.Subscribe(b => batches.Writer.WriteAsync(b).AsTask(), set);
            await using (subscription)
            {
                var status = parsed.GetValue(start) ? await handle.Start(parsed.GetValue(pace)) : await handle.Status();
                var printed = await Print(ctx, handle, batches.Reader, status, max, seconds);
                ctx.Err.WriteLine($"tapped {printed} spike(s) of run {handle.Id} in {subscription.Batches} batch(es), to tick {subscription.LastTick}; filter {set}; missed ticks {subscription.MissedTicks}");
            }

            return ctx.Cancellation.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints spikes until the limit, the timeout, Ctrl+C, or the run has stopped running and its last batch is in.</summary>
    private static async Task<long> Print(CliContext ctx, SimulationRun run, ChannelReader<SpikeTapBatch> batches, RunStatus status, long max, double seconds)
    {
        using var deadline = seconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ctx.Cancellation);
        long printed = 0;
        // Ticks before the status's are not coming: a run already finished or stopped is covered from the start.
        var covered = status.Tick;
        if (!ctx.Json)
        {
            ctx.Out.WriteLine(SpikeCsv.Header);
        }

        while (!stop.IsCancellationRequested)
        {
            while (batches.TryRead(out var batch))
            {
                covered = Math.Max(covered, batch.ToTick);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (tick, neuron) = (batch.Ticks[i], batch.Neurons[i]);
                    ctx.Out.WriteLine(ctx.Json
                        ? JsonSerializer.Serialize(new { run = batch.RunId, tick, timeMs = SpikeCsv.TimeMs(tick, batch.Dt), neuron }, CliContext.JsonOptions).ReplaceLineEndings(string.Empty)
                        : SpikeCsv.Row(tick, neuron, batch.Dt));
                    if (++printed == max)
                    {
                        return printed;
                    }
                }
            }

            // A run that is not running any more ends the tap once its last published ticks are in.
            if (status.Phase is RunPhase.Finished or RunPhase.Stopped && covered >= status.Tick)
            {
                break;
            }

            try
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                poll.CancelAfter(250);
                await batches.WaitToReadAsync(poll.Token);
            }
            catch (OperationCanceledException)
            {
                status = await run.Status();
            }
        }

        return printed;
    }
}
