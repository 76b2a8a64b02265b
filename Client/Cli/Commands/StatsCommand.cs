using System.CommandLine;

namespace NeuroMesh.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create(NeuroMeshCli.Handler handler)
    {
        var run = new Argument<string>("run") { Description = "The run id." };
        var command = new Command("stats", "Print a run's statistics: phase, ticks, spikes, mean rate, network size and, per shard, silo and spike accounting.") { run };
        handler.Bind(command, async (ctx, parsed) =>
        {
            await using var client = await ctx.ConnectAsync();
            var handle = client.Run(parsed.GetValue(run)!);
            await CliContext.ExistingRunAsync(handle);
            var stats = await handle.Statistics();
            var s = stats.Status;
            ctx.Emit(new { status = s, shards = stats.Shards, simulatedSeconds = stats.SimulatedSeconds, meanRateHz = stats.MeanRateHz }, o =>
            {
                o.WriteLine($"run              {s.RunId} ({s.Phase.ToString().ToLowerInvariant()})");
                o.WriteLine($"ticks            {CliContext.Num(s.Tick)} of {CliContext.Num(s.TotalTicks)} (dt {CliContext.Num(s.DtMs, "0.###")} ms, {CliContext.Num(stats.SimulatedSeconds, "0.000")} s simulated)");
                o.WriteLine($"spikes           {CliContext.Num(s.Spikes)}");
                o.WriteLine($"mean rate        {CliContext.Num(stats.MeanRateHz, "0.00")} Hz");
                o.WriteLine($"neurons          {CliContext.Num(s.Neurons)}");
                o.WriteLine($"synapses         {(s.Silos == 0 ? "- (not placed)" : CliContext.Num(s.Synapses))}");
                o.WriteLine($"silos            {s.Silos}{(s.Silos == 0 ? string.Empty : $", window {s.WindowTicks} tick(s)")}");
                o.WriteLine($"checkpoints      {s.Checkpoints}");
                o.WriteLine(s.Snapshots == 0
                    ? "snapshots        none"
                    : $"snapshots        {s.Snapshots}, latest of tick {CliContext.Num(s.LastSnapshotTick)}, {CliContext.Num(s.SnapshotBytes / 1e6, "0.###")} MB stored, longest stall {CliContext.Num(s.SnapshotStallMs, "0.##")} ms");
                o.WriteLine($"spike-train hash {(s.SpikeTrainHash.Length == 0 ? "-" : s.SpikeTrainHash)}");
                foreach (var shard in stats.Shards)
                {
                    o.WriteLine($"shard {shard.Index}          neurons [{shard.FirstNeuron}, {shard.EndNeuron}) on {shard.Silo}: sent {CliContext.Num(shard.SpikesSent)}, received {CliContext.Num(shard.SpikesReceived)}, pending {CliContext.Num(shard.SpikesPending)}, rejected frames {shard.FramesRejected}");
                }
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
