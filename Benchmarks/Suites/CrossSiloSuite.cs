using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Benchmarks.Harness;
using NeuroMesh.Benchmarks.Suites.CrossSilo;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites;

/// <summary>
/// Two silos in two processes on loopback (this process hosts the sending, primary silo; a second process started from
/// this assembly hosts the receiving one). Free-running spikes go from one to the other over the NeuroMesh mesh path
/// (<see cref="SiloOutbox"/>, then the default transport, the memory streams or grain calls, then <see cref="MeshIngress"/>)
/// and, as the peer, over plain Orleans grain calls carrying the same frames. For each: the sustained rate with every spike accounted for (sent = received +
/// dropped), delivery latency at that saturation, and latency at fixed offered rates.
/// </summary>
public sealed class CrossSiloSuite : IBenchmarkSuite
{
    private const int Chunk = 2048;
    private static readonly int[] PacedRates = [100_000, 1_000_000];

    /// <inheritdoc />
    public string Name => "crosssilo";

    /// <inheritdoc />
    public string Description => "two silos, two processes, loopback: mesh spikes/s and p50/p99 latency (streams, calls) vs Orleans grain calls";

    /// <inheritdoc />
    public BenchmarkReport Run(SuiteOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private async Task<BenchmarkReport> RunAsync(SuiteOptions options)
    {
        var report = new BenchmarkReport(Name);
        var sustained = TimeSpan.FromSeconds(options.Quick ? 3 : 8);
        var paced = TimeSpan.FromSeconds(options.Quick ? 2 : 5);
        var ports = LoopbackPorts.Free(2);
        var primaryPort = ports[0];
        var clusterId = $"crosssilo-{Environment.ProcessId}";
        using var host = CrossSiloHost.Start(primaryPort, ports[1], primaryPort, clusterId);
        using var peer = StartPeer(primaryPort, clusterId, out var receiver);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var probe = grains.GetGrain<ICrossSiloProbeGrain>(SiloKey.For(receiver));
            // The silo's own outbox uses the default transport (Push: a grain call per batch between processes); two more
            // outboxes of the same silo use the memory streams and plain grain calls, each under its own sender id so that
            // the receiver keeps the sequences apart.
            var self = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var mesh = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NeuroMesh.Hosting.MeshClusterOptions>>().Value;
            await using var callsOutbox = new SiloOutbox(new GrainCallMeshTransport(grains), mesh, MeshSenderId.Of(self) ^ 1);
            await using var streamsOutbox = new SiloOutbox(new StreamMeshTransport(host.Services, grains), mesh, MeshSenderId.Of(self) ^ 2);
            ISpikePath[] paths =
            [
                new MeshPath("NeuroMesh mesh, default (Push)", host.Services.GetRequiredService<SiloOutbox>(), receiver),
                new MeshPath("NeuroMesh mesh over memory streams", streamsOutbox, receiver),
                new MeshPath("NeuroMesh mesh over grain calls", callsOutbox, receiver),
                new GrainCallPath(probe),
            ];
            Console.Error.WriteLine($"crosssilo: sender {host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress}, receiver {receiver} (pid {peer.Id}); {sustained.TotalSeconds:0} s sustained, {paced.TotalSeconds:0} s per paced rate");

            // Warm-up, until a round loses nothing: right after the second silo joins, the stream queues are rebalanced
            // between the silos' pulling agents, and a memory queue that moves loses what its old agent had cached.
            foreach (var path in paths)
            {
                for (var round = 1; round <= 5; round++)
                {
                    var warm = await Saturate(path, probe, TimeSpan.FromSeconds(2));
                    Console.Error.WriteLine($"  warm-up {round} {path.Name}: {warm.Rate:N0} spikes/s, lost {warm.Lost:N0} ({warm.DropDetail})");
                    if (warm.Lost == 0)
                    {
                        break;
                    }
                }
            }

            foreach (var path in paths)
            {
                var run = await Saturate(path, probe, sustained);
                report.Add("sustained rate", path.Name, run.Rate, "spikes/s");
                report.Add("sustained: latency p50", path.Name, run.Stats.P50Ms, "ms");
                report.Add("sustained: latency p99", path.Name, run.Stats.P99Ms, "ms");
                report.Add("sustained: spikes lost", path.Name, run.Lost, $"spikes of {run.Sent:N0} ({run.DropDetail})");
            }

            foreach (var rate in PacedRates)
            {
                foreach (var path in paths)
                {
                    var run = await Pace(path, probe, rate, paced);
                    report.Add($"offered {rate:N0}/s: achieved", path.Name, run.Rate, "spikes/s");
                    report.Add($"offered {rate:N0}/s: latency p50", path.Name, run.Stats.P50Ms, "ms");
                    report.Add($"offered {rate:N0}/s: latency p99", path.Name, run.Stats.P99Ms, "ms");
                    report.Add($"offered {rate:N0}/s: spikes lost", path.Name, run.Lost, "spikes");
                }
            }

            var peerName = paths[3].Name;
            report.Ratios["mesh_default_vs_orleans_calls_sustained"] = report.Get("sustained rate", paths[0].Name) / report.Get("sustained rate", peerName);
            report.Ratios["mesh_default_p99_ms_at_1M"] = report.Get("offered 1,000,000/s: latency p99", paths[0].Name);
            foreach (var (key, path) in new[] { ("streams", paths[1].Name), ("calls", paths[2].Name) })
            {
                report.Ratios[$"mesh_{key}_vs_orleans_calls_sustained"] = report.Get("sustained rate", path) / report.Get("sustained rate", peerName);
                report.Ratios[$"mesh_{key}_sustained_vs_target_1M"] = report.Get("sustained rate", path) / 1e6;
                report.Ratios[$"mesh_{key}_p99_at_1M_offered_vs_target_5ms"] = report.Get("offered 1,000,000/s: latency p99", path) / 5.0;
            }
            return report;
        }
        finally
        {
            peer.StandardInput.Close();
            if (!peer.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                peer.Kill(entireProcessTree: true);
            }

            await host.StopAsync();
        }
    }

    private static async Task<PhaseResult> Saturate(ISpikePath path, ICrossSiloProbeGrain probe, TimeSpan duration)
    {
        await probe.Reset();
        var droppedBefore = path.Drops().Dropped;
        var spikes = new Spike[Chunk];
        long sent = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            Stamp(spikes, sent);
            await path.SendAsync(spikes);
            sent += spikes.Length;
        }

        return await Finish(path, probe, sent, droppedBefore, watch);
    }

    private static async Task<PhaseResult> Pace(ISpikePath path, ICrossSiloProbeGrain probe, int rate, TimeSpan duration)
    {
        await probe.Reset();
        var droppedBefore = path.Drops().Dropped;
        var spikes = new Spike[Chunk];
        long sent = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            // Whatever the offered rate owes by now, in chunks; then about a millisecond's pause (the timer's resolution).
            var owed = (long)(rate * watch.Elapsed.TotalSeconds) - sent;
            while (owed > 0)
            {
                var n = (int)Math.Min(owed, Chunk);
                Stamp(spikes.AsSpan(0, n), sent);
                await path.SendAsync(spikes.AsMemory(0, n));
                sent += n;
                owed -= n;
            }

            await Task.Delay(1);
        }

        return await Finish(path, probe, sent, droppedBefore, watch);
    }

    private static async Task<PhaseResult> Finish(ISpikePath path, ICrossSiloProbeGrain probe, long sent, long droppedBefore, Stopwatch watch)
    {
        await path.DrainAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        var stats = await probe.Stats();
        var (dropped, detail) = path.Drops();
        if (stats.Count + dropped - droppedBefore != sent || stats.Rejected != 0)
        {
            throw new InvalidOperationException($"{path.Name}: sent {sent:N0} but the receiver recorded {stats.Count:N0} and the sender dropped {dropped - droppedBefore:N0} ({detail}; rejected frames {stats.Rejected})");
        }

        return new PhaseResult(sent, stats.Count / seconds, sent - stats.Count, stats, detail);
    }

    private static void Stamp(Span<Spike> spikes, long first)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < spikes.Length; i++)
        {
            spikes[i] = Spike.Create(source: 1, target: 2, sequence: (uint)(first + i));
            spikes[i].Timestamp = now;
        }
    }

    /// <summary>
    /// Starts the second silo in a process of its own (this program's <see cref="CrossSiloPeer.Verb"/>), joined to the
    /// silo on <paramref name="primaryPort"/>; <paramref name="settings"/> become its environment (<c>NeuroMesh__…</c>).
    /// Closing its standard input stops it.
    /// </summary>
    internal static Process StartPeer(int primaryPort, string clusterId, out SiloAddress receiver, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var peerPorts = LoopbackPorts.Free(2);
        foreach (var arg in new[] { typeof(CrossSiloSuite).Assembly.Location, CrossSiloPeer.Verb, $"{peerPorts[0]}", $"{peerPorts[1]}", $"{primaryPort}", clusterId })
        {
            start.ArgumentList.Add(arg);
        }

        var peer = Process.Start(start) ?? throw new InvalidOperationException("could not start the receiving silo's process");
        var ready = Task.Run(() =>
        {
            while (peer.StandardOutput.ReadLine() is { } output)
            {
                if (output.StartsWith("ready ", StringComparison.Ordinal))
                {
                    return output;
                }
            }

            return null;
        });
        if (!ready.Wait(TimeSpan.FromSeconds(120)) || ready.Result is not { } line)
        {
            peer.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the receiving silo's process did not report ready within 120 s");
        }

        receiver = SiloAddress.FromParsableString(line["ready ".Length..]);
        return peer;
    }

    private sealed record PhaseResult(long Sent, double Rate, long Lost, LatencyStats Stats, string DropDetail);
}
