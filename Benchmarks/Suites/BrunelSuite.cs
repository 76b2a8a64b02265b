using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.CrossSilo;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// The Brunel (2000) network (<c>examples/brunel.json</c>: 12,500 delta-synapse LIF neurons, 15.6 M synapses, delay
/// 1.5 ms, so windows of 15 ticks) as a lockstep run: on one silo, on two silos in this process, and on two silos in two
/// processes (this one and a peer started from this program), always with the same total engine threads (the machine's
/// cores). Each case is timed from the first step to the last checkpoint; deploying, placing and building are apart.
/// </summary>
public sealed class BrunelSuite : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "brunel";

    /// <inheritdoc />
    public string Description => "Brunel 12,500 (delay 1.5 ms) in lockstep: 1 silo vs 2 silos in one process vs 2 silos in two processes";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task<BenchmarkReport> RunAsync(SuiteOptions options)
    {
        var report = new BenchmarkReport("brunel");
        report.Add("conditions", "loadavg_1min_at_start", CubaSuite.LoadAverage(), "load");
        var spec = NetworkSpec.Load(Path.Combine(CubaSuite.RepositoryRoot(), "examples", "brunel.json"));
        if (options.Quick)
        {
            spec = spec with { Duration = 200 };
        }

        var cores = Environment.ProcessorCount;
        var simulated = spec.TotalTicks * spec.Dt / 1000.0;
        var data = Directory.CreateTempSubdirectory("neuromesh-brunel-");
        try
        {
            Console.Error.WriteLine($"brunel: {spec.NeuronCount:N0} neurons, {simulated} s simulated, {cores} engine threads in all");
            var one = await InProcessAsync(spec, 1, cores, data.FullName);
            var two = await InProcessAsync(spec, 2, Math.Max(1, cores / 2), data.FullName);
            var twoProcesses = await TwoProcessesAsync(spec, Math.Max(1, cores / 2), data.FullName);
            foreach (var (impl, result) in new[] { ("ours_1_silo", one), ("ours_2_silos_1_process", two), ("ours_2_silos_2_processes", twoProcesses) })
            {
                report.Add("brunel_12500", impl, result.Seconds, "s");
                report.Add("brunel_12500_realtime_factor", impl, result.Seconds / simulated, "x");
                report.Add("brunel_12500_rate", impl, result.Status.Spikes / (double)spec.NeuronCount / simulated, "Hz");
                report.Add("brunel_12500_window", impl, result.Status.WindowTicks, "ticks");
                report.Add("brunel_12500_hash_equals_1_silo", impl, result.Status.SpikeTrainHash == one.Status.SpikeTrainHash ? 1 : 0, "bool");
                if (result.Shards.Count > 1)
                {
                    var exchange = result.Shards.Average(s => (s.WaitSeconds + s.SendSeconds) / Math.Max(1, s.Windows));
                    report.Add("brunel_12500_window_exchange_mean", impl, exchange * 1e6, "us");
                    report.Add("brunel_12500_spikes_across", impl, result.Shards.Sum(s => s.SpikesSent), "spikes");
                }
            }

            report.Ratios["brunel_2proc_vs_1silo"] = twoProcesses.Seconds / one.Seconds;
            report.Ratios["brunel_2silos_1proc_vs_1silo"] = two.Seconds / one.Seconds;
            report.Add("conditions", "loadavg_1min_at_end", CubaSuite.LoadAverage(), "load");
        }
        finally
        {
            data.Delete(recursive: true);
        }

        return report;
    }

    private static async Task<Result> InProcessAsync(NetworkSpec spec, int silos, int threads, string data)
    {
        Console.Error.WriteLine($"  {silos} silo(s) in this process, {threads} engine thread(s) each...");
        await using var cluster = await EmbeddedCluster.StartAsync(silos, new Dictionary<string, string?>
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(data, $"inproc-{silos}.db"),
            ["NeuroMesh:Cluster:EngineThreads"] = $"{threads}",
        }, CancellationToken.None);
        return await TimeRunAsync(cluster.Grains, spec, silos, $"brunel-{silos}");
    }

    private static async Task<Result> TwoProcessesAsync(NetworkSpec spec, int threads, string data)
    {
        Console.Error.WriteLine($"  2 silos in two processes, {threads} engine thread(s) each...");
        var ports = LoopbackPorts.Free(2);
        var clusterId = $"brunel-{Environment.ProcessId}";
        var settings = new Dictionary<string, string> { ["NeuroMesh:Cluster:EngineThreads"] = $"{threads}" };
        using var host = CrossSiloHost.Start(ports[0], ports[1], ports[0], clusterId, new Dictionary<string, string?>(settings.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
        {
            ["NeuroMesh:DeltaLog:Path"] = Path.Combine(data, "two-processes.db"),
        });
        using var peer = CrossSiloSuite.StartPeer(ports[0], clusterId, out _, settings);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            return await TimeRunAsync(grains, spec, 2, "brunel-2proc");
        }
        finally
        {
            peer.StandardInput.Close();
            if (!peer.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                peer.Kill(entireProcessTree: true);
            }

            await host.StopAsync();
        }
    }

    private static async Task<Result> TimeRunAsync(IGrainFactory grains, NetworkSpec spec, int silos, string runId)
    {
        var run = grains.GetGrain<ISimulationGrain>($"{runId}-{Guid.NewGuid():N}");
        var status = await run.Deploy(spec.ToJson(), silos);
        await run.Place();
        var clock = Stopwatch.StartNew();
        while (status.Phase != RunPhase.Finished)
        {
            status = await run.Step(SimulationGrain.Window);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var shards = silos > 1 ? await run.GetShards() : [];
        Console.Error.WriteLine($"    {seconds:0.###} s, {status.Spikes:N0} spikes, hash {status.SpikeTrainHash[..12]}");
        return new Result(seconds, status, shards);
    }

    private sealed record Result(double Seconds, RunStatus Status, IReadOnlyList<ShardInfo> Shards);
}
