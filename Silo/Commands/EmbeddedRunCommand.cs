using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;

namespace NeuroMesh.Silo.Commands;

/// <summary>
/// <c>run SPEC.json [--silos N] [--threads N] [--json PATH]</c>: starts an embedded cluster of N real silos in this
/// process (default 1; SQLite delta log under ./data), deploys the spec as a simulation run placed on all of them, runs
/// it in lockstep to the end of its duration, checkpoint by checkpoint, and prints the run summary.
/// </summary>
internal static class EmbeddedRunCommand
{
    public const string Usage = "usage: dotnet run -c Release --project Silo -- run SPEC.json [--silos N] [--threads N] [--json PATH]";

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }

        NetworkSpec spec;
        try
        {
            spec = NetworkSpec.Load(options.SpecPath);
        }
        catch (NetworkSpecException e)
        {
            error.WriteLine($"{options.SpecPath} is not a valid network spec:");
            foreach (var specError in e.Errors)
            {
                error.WriteLine($"  {specError.Path}: {specError.Message}");
            }

            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cannot read {options.SpecPath}: {e.Message}");
            return 2;
        }

        if (options.Silos > Math.Max(1, spec.NeuronCount))
        {
            error.WriteLine($"--silos {options.Silos} is more than the network's {spec.NeuronCount} neuron(s); each silo needs at least one");
            return 2;
        }

        var threads = options.Threads > 0 ? options.Threads : Math.Max(1, Environment.ProcessorCount / options.Silos);
        var merged = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            [$"{MeshClusterOptions.SectionName}:{nameof(MeshClusterOptions.EngineThreads)}"] = threads.ToString(CultureInfo.InvariantCulture),
        };

        var start = Stopwatch.StartNew();
        await using var cluster = await EmbeddedCluster.StartAsync(options.Silos, merged, CancellationToken.None);
        var clusterSeconds = start.Elapsed.TotalSeconds;
        var runId = $"{Path.GetFileNameWithoutExtension(options.SpecPath)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var run = cluster.Grains.GetGrain<ISimulationGrain>(runId);
        RunStatus status;
        try
        {
            status = await run.Deploy(spec.ToJson(), options.Silos);
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }

        var placing = Stopwatch.StartNew();
        await run.Place();
        var placeSeconds = placing.Elapsed.TotalSeconds;
        var wall = Stopwatch.StartNew();
        while (status.Phase != RunPhase.Finished)
        {
            status = await run.Step(SimulationGrain.Window);
        }

        wall.Stop();
        var simulatedSeconds = status.Tick * spec.Dt / 1000.0;
        var summary = new EmbeddedRunSummary(
            Path.GetFileName(options.SpecPath),
            runId,
            status.Neurons,
            status.Synapses,
            status.Tick,
            spec.Dt,
            status.Spikes,
            status.Neurons == 0 ? 0 : status.Spikes / (double)status.Neurons / simulatedSeconds,
            wall.Elapsed.TotalSeconds,
            placeSeconds,
            clusterSeconds,
            wall.Elapsed.TotalSeconds / simulatedSeconds,
            status.Silos,
            status.WindowTicks,
            threads,
            status.SpikeTrainHash);
        summary.Print(output);
        var shards = await run.GetShards();
        if (shards.Count > 0)
        {
            // Where the wall time went: the slowest shard's engine and exchange, the grain's checkpoints and log, the rest
            // (grain calls, scheduling, placement of windows) by difference.
            var engine = shards.Max(s => s.ComputeSeconds);
            var exchange = shards.Max(s => s.WaitSeconds + s.SendSeconds);
            var rest = Math.Max(0, wall.Elapsed.TotalSeconds - engine - exchange - status.CheckpointSeconds - status.LogSeconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"time             engine {engine:0.###} s, exchange {exchange:0.###} s, checkpoints {status.CheckpointSeconds:0.###} s, log {status.LogSeconds:0.###} s, other {rest:0.###} s (calls and scheduling)"));
        }

        if (status.Silos > 1)
        {
            output.WriteLine($"transport        {shards[0].Transport} (NeuroMesh:Cluster:LockstepTransport)");
            var cut = shards[0].NetworkSynapses == 0 ? 0 : (double)shards[0].CrossingSynapses / shards[0].NetworkSynapses;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cut              {shards[0].CrossingSynapses:N0} of {shards[0].NetworkSynapses:N0} synapses cross silos ({cut:P1}); a spike goes only to the silos its neuron has synapses on"));
            foreach (var shard in shards)
            {
                var perPeer = string.Join(", ", shard.SpikesSentTo.Select((n, j) => (n, j)).Where(x => x.j != shard.Index).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.n:N0} to shard {x.j}")));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"shard {shard.Index}          neurons [{shard.FirstNeuron}, {shard.EndNeuron}) on {shard.Silo}: sent {shard.SpikesSent:N0} ({perPeer}), received {shard.SpikesReceived:N0}, pending {shard.SpikesPending:N0}, rejected frames {shard.FramesRejected}; {shard.ComputeSeconds:0.###} s computing, {shard.WaitSeconds:0.###} s waiting for peers, {shard.SendSeconds:0.###} s sending; exchange per window p50 {shard.ExchangeP50Micros:0} µs, p99 {shard.ExchangeP99Micros:0} µs"));
            }
        }

        if (options.JsonPath is not null)
        {
            var json = JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
            try
            {
                // The folder is made as needed, so `--json results/cuba.json` works on a fresh clone.
                var folder = Path.GetDirectoryName(Path.GetFullPath(options.JsonPath));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                await File.WriteAllTextAsync(options.JsonPath, json);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cannot write {options.JsonPath}: {e.Message}");
                return 1;
            }

            output.WriteLine($"wrote {options.JsonPath}");
        }

        return 0;
    }

    private static bool TryParse(ReadOnlySpan<string> args, out RunOptions options, out string problem)
    {
        options = new RunOptions();
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json" when i + 1 < args.Length:
                    options = options with { JsonPath = args[++i] };
                    break;
                case "--threads" or "--silos" when i + 1 < args.Length:
                    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 64)
                    {
                        problem = $"{args[i]} needs a whole number from 1 to 64 (got '{args[i + 1]}')";
                        return false;
                    }

                    options = args[i] == "--silos" ? options with { Silos = n } : options with { Threads = n };
                    i++;
                    break;
                case "--json" or "--threads" or "--silos":
                    problem = $"{args[i]} needs a value";
                    return false;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    problem = $"unknown option '{option}'";
                    return false;
                default:
                    if (options.SpecPath.Length > 0)
                    {
                        problem = $"one spec at a time (got '{options.SpecPath}' and '{args[i]}')";
                        return false;
                    }

                    options = options with { SpecPath = args[i] };
                    break;
            }
        }

        if (options.SpecPath.Length == 0)
        {
            problem = "run needs a spec file, for example examples/cuba.json";
            return false;
        }

        return true;
    }

    private sealed record RunOptions(string SpecPath = "", int Silos = 1, int Threads = 0, string? JsonPath = null);
}
