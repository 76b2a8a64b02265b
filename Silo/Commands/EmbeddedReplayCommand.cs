using System.Globalization;
using NeuroMesh.Hosting;
using NeuroMesh.Simulation;

namespace NeuroMesh.Silo.Commands;

/// <summary>
/// <c>replay RUN-ID [--to-tick T] [--verify] [--silos N] [--from-snapshot | --from-start]</c>: starts an embedded cluster
/// over the same delta log and snapshot store (<c>data/deltalog.db</c> and <c>data/snapshots</c> unless configured
/// otherwise), rebuilds the run on N silos (default 1; the spikes do not depend on it) to tick T (default: its last
/// checkpoint) from its latest engine snapshot at or before T (<c>--from-snapshot</c>, the default) or from tick 0
/// (<c>--from-start</c>), reproducing every logged checkpoint after that point, and prints the result; <c>--verify</c>
/// also lists each checkpoint it reproduced. A checkpoint that does not reproduce exits 1 with its tick and both hashes.
/// </summary>
internal static class EmbeddedReplayCommand
{
    public const string Usage = "usage: dotnet run -c Release --project Silo -- replay RUN-ID [--to-tick T] [--verify] [--silos N] [--from-snapshot | --from-start]";

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings = null)
    {
        string? runId = null;
        long toTick = -1;
        var verify = false;
        var silos = 1;
        bool? fromSnapshot = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--verify":
                    verify = true;
                    break;
                case "--from-snapshot" or "--from-start":
                    var wanted = args[i] == "--from-snapshot";
                    if (fromSnapshot is { } given && given != wanted)
                    {
                        return Fail(error, "--from-snapshot and --from-start contradict each other; give one");
                    }

                    fromSnapshot = wanted;
                    break;
                case "--to-tick" when i + 1 < args.Length && long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out toTick):
                    i++;
                    break;
                case "--silos" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out silos) && silos is >= 1 and <= 64:
                    i++;
                    break;
                case "--to-tick" or "--silos":
                    return Fail(error, $"{args[i]} needs a whole number{(args[i] == "--silos" ? " from 1 to 64" : string.Empty)}");
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Fail(error, $"unknown option '{option}'");
                default:
                    if (runId is not null)
                    {
                        return Fail(error, $"one run at a time (got '{runId}' and '{args[i]}')");
                    }

                    runId = args[i];
                    break;
            }
        }

        if (runId is null)
        {
            return Fail(error, "replay needs a run id (run prints it, for example cuba-20261125-185450-e2e7d4)");
        }

        // Replay only reads the log: a run the log says was running stays where it is instead of carrying on.
        var replaySettings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["NeuroMesh:Cluster:ResumeStartedRuns"] = "false" };
        await using var cluster = await EmbeddedCluster.StartAsync(silos, replaySettings, CancellationToken.None);
        var run = cluster.Grains.GetGrain<ISimulationGrain>(runId);
        var status = await run.GetStatus();
        if (status.Phase == RunPhase.Empty)
        {
            error.WriteLine($"run '{runId}' has no log here (no spec was deployed under that id in this delta log)");
            return 2;
        }

        ReplayReport report;
        try
        {
            report = await run.Replay(toTick, silos, fromSnapshot ?? true);
        }
        catch (ArgumentOutOfRangeException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }

        var c = CultureInfo.InvariantCulture;
        if (verify)
        {
            foreach (var checkpoint in report.Verified)
            {
                output.WriteLine(string.Create(c, $"checkpoint       tick {checkpoint.Tick:N0}: {checkpoint.Spikes:N0} spikes, hash {checkpoint.SpikeTrainHash} reproduced"));
            }
        }

        output.WriteLine($"run              {report.RunId} (logged to tick {report.LoggedTick.ToString("N0", c)})");
        output.WriteLine(report.FromTick > 0
            ? string.Create(c, $"started from     the snapshot of tick {report.FromTick:N0} (sha256 {report.Snapshot[..12]}…)")
            : "started from     tick 0");
        output.WriteLine(string.Create(c, $"replayed to      tick {report.Tick:N0} on {report.Silos} silo(s) in {report.WallSeconds:0.###} s"));
        output.WriteLine(string.Create(c, $"checkpoints      {report.Verified.Count} reproduced exactly{(report.FromTick > 0 ? " (those after the snapshot)" : string.Empty)}"));
        output.WriteLine(string.Create(c, $"spikes           {report.Spikes:N0}"));
        output.WriteLine($"spike-train hash {report.SpikeTrainHash}");
        return 0;
    }

    private static int Fail(TextWriter error, string problem)
    {
        error.WriteLine(problem);
        error.WriteLine(Usage);
        return 2;
    }
}
