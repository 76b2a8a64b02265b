using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Hosting;
using NeuroMesh.Network;
using NeuroMesh.Simulation;
using Orleans.Configuration;

namespace NeuroMesh.Benchmarks.Suites.Chaos;

/// <summary>What a soak runs and how hard it shakes it.</summary>
/// <param name="PostgresConnection">An Npgsql connection string: the silos cluster and keep their delta logs there.</param>
/// <param name="SiloDll">The path of <c>NeuroMesh.Silo.dll</c>.</param>
/// <param name="Spec">The network every lockstep run deploys (each run is seeded the same, so each has the same unfailed hash).</param>
/// <param name="Duration">How long faults are injected and new runs started; the run in flight then finishes without faults.</param>
/// <param name="Seed">The fault schedule's seed: the same seed gives the same kinds, targets and gaps.</param>
public sealed record ChaosOptions(string PostgresConnection, string SiloDll, NetworkSpec Spec, TimeSpan Duration, int Seed)
{
    /// <summary>Silo processes in the cluster.</summary>
    public int Silos { get; init; } = 3;

    /// <summary>The shortest and longest gap between two faults.</summary>
    public (TimeSpan Min, TimeSpan Max) FaultGap { get; init; } = (TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(15));

    /// <summary>The longest a silo stays killed before its restart, or paused before SIGCONT.</summary>
    public TimeSpan MaxOutage { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon a restarted or continued silo must answer <c>/health/ready</c> again.</summary>
    public TimeSpan AnswerBound { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long one lockstep run may take, faults and recoveries included, before the soak calls it stuck.</summary>
    public TimeSpan RunBound { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most resident memory one silo process may reach.</summary>
    public long RssBoundBytes { get; init; } = 2L << 30;
}

/// <summary>One injected fault and the silo's recovery from it.</summary>
/// <param name="Kind"><c>kill</c> (SIGKILL, then a restart on the same ports) or <c>pause</c> (SIGSTOP, then SIGCONT).</param>
/// <param name="Silo">The silo's index.</param>
/// <param name="Outage">How long it was killed or paused.</param>
/// <param name="Recovery">From the restart or SIGCONT until <c>/health/ready</c> answered again.</param>
/// <param name="DeclaredDead">A paused silo the cluster declared dead meanwhile: it shut itself down on SIGCONT and was restarted.</param>
public sealed record ChaosFault(string Kind, int Silo, TimeSpan Outage, TimeSpan Recovery, bool DeclaredDead);

/// <summary>One lockstep run of the soak and what its invariants found.</summary>
/// <param name="Finished">It reached its last tick.</param>
/// <param name="HashMatches">Its final spike-train hash and spike count equal the single-engine run's.</param>
/// <param name="ConfirmedCheckpoints">Distinct checkpoints seen in its confirmed log state while it ran.</param>
/// <param name="LostCheckpoints">Of those, the ones missing from (or changed in) its log afterwards.</param>
/// <param name="Recoveries">Silo losses the run recovered from by itself (its status' count).</param>
/// <param name="Duration">Deploy to finish.</param>
/// <param name="DuplicateCheckpoints">Checkpoints its log holds twice for the same tick (with the same hash).</param>
public sealed record ChaosRun(string Id, bool Finished, bool HashMatches, int ConfirmedCheckpoints, int LostCheckpoints, int Recoveries, TimeSpan Duration, int DuplicateCheckpoints, string Detail);

/// <summary>What a soak did and which invariants held.</summary>
public sealed record ChaosResult(IReadOnlyList<ChaosFault> Faults, IReadOnlyList<ChaosRun> Runs, long PeakRssBytes, IReadOnlyList<string> Violations, TimeSpan Elapsed)
{
    /// <summary>Whether every invariant held.</summary>
    public bool Held => Violations.Count == 0;
}

/// <summary>
/// The chaos soak: <see cref="ChaosOptions.Silos"/> silo processes clustered on PostgreSQL, each keeping its runs' delta
/// logs there, run back-to-back lockstep runs of one spec while a seeded schedule SIGKILLs and restarts, or SIGSTOPs and
/// SIGCONTs, one silo at a time. Checked continuously and at the end: every checkpoint a run's confirmed state showed is
/// still in its log afterwards with the same hash; every run finishes with its unfailed single-engine hash and spike
/// count; every restarted or continued silo answers again within <see cref="ChaosOptions.AnswerBound"/>; no silo's
/// resident memory passes <see cref="ChaosOptions.RssBoundBytes"/>.
/// </summary>
public static class ChaosSoak
{
    /// <summary>How long a client call may wait: a call cut by a kill or a pause fails after this and is asked again.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static async Task<ChaosResult> RunAsync(ChaosOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        if (!File.Exists(options.SiloDll))
        {
            throw new FileNotFoundException($"the silo binary {options.SiloDll} does not exist; build the solution (dotnet build -c Release) first", options.SiloDll);
        }

        var clock = Stopwatch.StartNew();
        var expected = Reference(options.Spec);
        log.WriteLine($"chaos: reference {options.Spec.TotalTicks} ticks, {expected.Spikes} spikes, hash {expected.Hash[..12]}");
        var cluster = $"chaos-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string>
        {
            ["NeuroMesh:Clustering:Provider"] = "Postgres",
            ["NeuroMesh:Clustering:ConnectionString"] = options.PostgresConnection,
            ["NeuroMesh:Clustering:ClusterId"] = cluster,
            ["NeuroMesh:Clustering:ServiceId"] = cluster,
            ["NeuroMesh:DeltaLog:Backend"] = "postgres",
            ["NeuroMesh:DeltaLog:ConnectionString"] = options.PostgresConnection,
        };
        var ports = LoopbackPorts.Free(3 * options.Silos);
        var silos = Enumerable.Range(0, options.Silos).Select(i => new SiloProcess(options.SiloDll, settings, ports[(3 * i)..(3 * i + 3)])).ToArray();
        var violations = new ConcurrentQueue<string>();
        var faults = new List<ChaosFault>();
        var runs = new List<ChaosRun>();
        long peakRss = 0;
        try
        {
            // Started one after another: three silos racing their first schema migration and membership join on two cores.
            foreach (var silo in silos)
            {
                await silo.StartAsync(options.AnswerBound);
            }

            log.WriteLine($"chaos: {options.Silos} silos up in {clock.Elapsed.TotalSeconds:0.0} s (cluster {cluster})");

            // The soak's length counts from here: the silos' first start is not part of it.
            clock.Restart();
            using var client = await ConnectAsync(cluster, silos);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            using var stop = new CancellationTokenSource();

            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var (silo, i) in silos.Select((s, i) => (s, i)))
                    {
                        var rss = silo.ResidentBytes();
                        if (rss > Interlocked.Read(ref peakRss))
                        {
                            Interlocked.Exchange(ref peakRss, rss);
                        }

                        if (rss > options.RssBoundBytes)
                        {
                            violations.Enqueue($"silo {i} reached {rss >> 20} MiB resident, over the bound of {options.RssBoundBytes >> 20} MiB");
                        }
                    }

                    await Task.Delay(1000).ConfigureAwait(false);
                }
            });

            var faulting = InjectFaultsAsync(options, silos, faults, violations, clock, log);
            var workload = Task.Run(async () =>
            {
                for (var i = 0; i == 0 || clock.Elapsed < options.Duration; i++)
                {
                    ChaosRun run;
                    try
                    {
                        run = await RunOneAsync(grains, options, expected, $"{cluster}-run{i}", log);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        run = new ChaosRun($"{cluster}-run{i}", false, false, 0, 0, 0, TimeSpan.Zero, 0, $"the workload failed: {e}");
                    }

                    lock (runs)
                    {
                        runs.Add(run);
                    }

                    if (!run.Finished || !run.HashMatches || run.LostCheckpoints > 0)
                    {
                        violations.Enqueue($"run {run.Id}: {run.Detail}");
                    }
                }
            });

            await faulting;
            await workload;
            await stop.CancelAsync();
            await sampler;
            await client.StopAsync();
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
        }

        if (runs.Count == 0)
        {
            violations.Enqueue("no lockstep run was started");
        }

        return new ChaosResult(faults, runs, peakRss, [.. violations], clock.Elapsed);
    }

    /// <summary>The spec run to its end on one engine: the unfailed spike count and hash.</summary>
    public static (long Spikes, string Hash) Reference(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        var result = engine.Run(spec.TotalTicks);
        return (result.Spikes.Length, result.SpikeTrainHash);
    }

    private static async Task<IHost> ConnectAsync(string cluster, SiloProcess[] silos)
    {
        var settings = new Dictionary<string, string?> { ["NeuroMesh:Client:ClusterId"] = cluster, ["NeuroMesh:Client:ServiceId"] = cluster };
        for (var i = 0; i < silos.Length; i++)
        {
            settings[$"NeuroMesh:Client:Gateways:{i}"] = $"127.0.0.1:{silos[i].GatewayPort}";
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.AddNeuroMeshClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// The seeded schedule: after a gap, one silo (never two at once) is killed and restarted, or paused and continued,
    /// alternately, so that even a short soak sees both kinds. A continued silo the cluster declared dead meanwhile shuts
    /// itself down; it is restarted, and that counts in its recovery time.
    /// </summary>
    private static async Task InjectFaultsAsync(ChaosOptions options, SiloProcess[] silos, List<ChaosFault> faults, ConcurrentQueue<string> violations, Stopwatch clock, TextWriter log)
    {
        var random = new Random(options.Seed);
        for (var n = 0; ; n++)
        {
            var gap = options.FaultGap.Min + (options.FaultGap.Max - options.FaultGap.Min) * random.NextDouble();
            var target = random.Next(silos.Length);
            var outage = TimeSpan.FromSeconds(1) + (options.MaxOutage - TimeSpan.FromSeconds(1)) * random.NextDouble();
            if (clock.Elapsed + gap + outage >= options.Duration)
            {
                return;
            }

            await Task.Delay(gap);
            var silo = silos[target];
            var kind = n % 2 == 0 ? "kill" : "pause";
            var declaredDead = false;
            TimeSpan recovery;
            try
            {
                if (kind == "kill")
                {
                    silo.Kill();
                    await Task.Delay(outage);
                    recovery = await silo.StartAsync(options.AnswerBound);
                }
                else
                {
                    silo.Pause();
                    await Task.Delay(outage);
                    var answer = Stopwatch.StartNew();
                    silo.Continue();
                    if (!await silo.AnswersWithinAsync(options.AnswerBound))
                    {
                        declaredDead = silo.HasExited;
                        if (!declaredDead)
                        {
                            throw new TimeoutException($"the continued silo {target} is running but did not answer within {options.AnswerBound}:\n{silo.OutputTail}");
                        }

                        await silo.StartAsync(options.AnswerBound - answer.Elapsed);
                    }

                    recovery = answer.Elapsed;
                }
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                violations.Enqueue($"{kind} of silo {target}: it did not answer again within {options.AnswerBound}: {e.Message}");
                return;
            }

            var fault = new ChaosFault(kind, target, outage, recovery, declaredDead);
            lock (faults)
            {
                faults.Add(fault);
            }

            log.WriteLine($"chaos: {clock.Elapsed.TotalSeconds,6:0.0} s {kind} silo {target} for {outage.TotalSeconds:0.0} s; answered {recovery.TotalSeconds:0.0} s after {(kind == "kill" ? "its restart" : "SIGCONT")}{(declaredDead ? " (declared dead meanwhile: restarted)" : string.Empty)}");
        }
    }

    /// <summary>
    /// Deploys a lockstep run on every active silo, starts it in the background, and follows it to its end, asking again
    /// whenever a call is cut by a fault. Every checkpoint its confirmed state shows on the way is remembered; at the end
    /// each must still be in its log with the same hash, and the final hash and spike count must be the unfailed ones.
    /// </summary>
    private static async Task<ChaosRun> RunOneAsync(IClusterClient grains, ChaosOptions options, (long Spikes, string Hash) expected, string id, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var run = grains.GetGrain<ISimulationGrain>(id);
        var seen = new Dictionary<long, string>();
        var lastError = string.Empty;
        var errors = new HashSet<string>(StringComparer.Ordinal);
        var deployed = false;
        var started = false;
        RunStatus? status = null;
        var polls = 0;
        while (clock.Elapsed < options.RunBound)
        {
            try
            {
                if (!deployed)
                {
                    status = await run.GetStatus();
                    if (status.Phase == RunPhase.Empty)
                    {
                        status = await run.Deploy(options.Spec.ToJson(), 0);
                    }

                    deployed = true;
                }

                if (!started)
                {
                    status = await run.GetStatus();
                    if (status.Phase is RunPhase.Deployed or RunPhase.Paused)
                    {
                        status = await run.Start(0);
                    }

                    started = true;
                }

                status = await run.GetStatus();
                if (status.Phase is RunPhase.Deployed or RunPhase.Paused)
                {
                    // A start that failed says why in the status; start it again (its log carries it on from its last checkpoint).
                    lastError = status.Error;
                    started = false;
                    continue;
                }

                if (polls++ % 4 == 0 || status.Phase == RunPhase.Finished)
                {
                    foreach (var checkpoint in await run.GetCheckpoints())
                    {
                        if (seen.TryGetValue(checkpoint.Tick, out var hash) && hash != checkpoint.SpikeTrainHash)
                        {
                            return Done(false, $"checkpoint at tick {checkpoint.Tick} changed its hash from {hash} to {checkpoint.SpikeTrainHash}");
                        }

                        seen[checkpoint.Tick] = checkpoint.SpikeTrainHash;
                    }
                }

                if (status.Phase == RunPhase.Finished)
                {
                    break;
                }
            }
            catch (Exception e) when (e is not (ArgumentException or NullReferenceException or OutOfMemoryException))
            {
                // A call cut by a kill or a pause, routed to a silo not yet declared dead, or refused by a run busy with its
                // recovery: ask again (each kind of failure is logged once per run, so that a run that never gets through says why).
                var error = $"{e.GetType().Name}: {e.Message}";
                if (errors.Add(e.GetType().Name))
                {
                    log.WriteLine($"chaos: run {id[^5..]} at {clock.Elapsed.TotalSeconds:0.0} s: {(error.Length > 300 ? error[..300] : error)} (asking again)");
                }

                lastError = error;
            }

            await Task.Delay(500);
        }

        if (status is not { Phase: RunPhase.Finished })
        {
            return Done(false, $"did not finish within {options.RunBound} (phase {status?.Phase}, tick {status?.Tick}; last error: {lastError})");
        }

        // Afterwards: every checkpoint seen confirmed is still there, with its hash.
        IReadOnlyList<CheckpointInfo>? final = null;
        while (final is null)
        {
            try
            {
                final = await run.GetCheckpoints();
            }
            catch (Exception e) when (e is TimeoutException or OrleansException && clock.Elapsed < options.RunBound + options.AnswerBound)
            {
                await Task.Delay(500); // cut by a fault: ask again
            }
        }

        // A tick can be logged twice (see docs/reliability.md, Chaos soak: found by this soak). The run counts it once and
        // reports the copy in its status; a tick listed twice, or with two hashes, would be a fault.
        var after = final.GroupBy(c => c.Tick).ToDictionary(g => g.Key, g => g.Select(c => c.SpikeTrainHash).Distinct(StringComparer.Ordinal).ToList());
        var duplicates = final.Count - after.Count + status.DuplicateCheckpoints;
        if (after.FirstOrDefault(a => a.Value.Count > 1) is { Value: not null } split)
        {
            return Done(true, $"tick {split.Key} is checkpointed with different hashes: {string.Join(", ", split.Value)}");
        }

        var lost = seen.Count(c => !after.TryGetValue(c.Key, out var hashes) || hashes[0] != c.Value);
        var matches = status.SpikeTrainHash == expected.Hash && status.Spikes == expected.Spikes;
        var result = new ChaosRun(
            id,
            true,
            matches,
            seen.Count,
            lost,
            status.Recoveries,
            clock.Elapsed,
            duplicates,
            matches && lost == 0
                ? "held"
                : $"{lost} of {seen.Count} confirmed checkpoints lost; final {status.Spikes} spikes, hash {status.SpikeTrainHash} (unfailed: {expected.Spikes}, {expected.Hash})");
        log.WriteLine($"chaos: run {id[^5..]} finished in {clock.Elapsed.TotalSeconds:0.0} s on {status.Silos} silos, {status.Recoveries} recoveries, {seen.Count} checkpoints seen, {duplicates} recorded twice: {result.Detail}");
        return result;

        ChaosRun Done(bool finished, string detail)
        {
            log.WriteLine($"chaos: run {id} FAILED: {detail}");
            return new ChaosRun(id, finished, false, seen.Count, 0, status?.Recoveries ?? 0, clock.Elapsed, 0, detail);
        }
    }
}
