using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using NeuroMesh.Neurons;
using NeuroMesh.Persistence;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;
using NeuroMesh.Supervision;
using NeuroMesh.Tests.Neurons;
using Orleans.Configuration;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace NeuroMesh.Tests.Supervision;

/// <summary>
/// A free-running agent workload on three silos under one supervisor: relay chains A → B → C with one region per silo,
/// stimulated without pause. The silo of region B is killed abruptly; the supervisor restores B's agents on the survivors.
/// </summary>
public sealed class AgentSiloLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Chains = 4;
    private static readonly string RunId = Guid.NewGuid().ToString("N");
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public Task DisposeAsync() => TestClusters.StopAndDeleteAsync(_cluster, $"neuromesh-agent-loss-{RunId}.db*");

    /// <param name="heir">
    /// The silo (0: region A's, 2: region C's) that region B moves to once its silo is dead: with A's, a → b is local and
    /// b → c crosses silos; with C's, a → b crosses silos and b → c is local. Both are run, whatever ports the silos get.
    /// </param>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_killed_silos_agents_answer_again_on_the_survivors_with_no_delta_lost_and_its_in_flight_spikes_counted(int heir)
    {
        var grains = _cluster.GrainFactory;
        var handles = _cluster.Silos.Cast<InProcessSiloHandle>().ToArray();
        var silos = handles.Select(h => h.SiloAddress).ToArray();
        var victim = handles[1];
        var survivors = handles.Where(h => h != victim).ToArray();
        SiloAddress[] survivingSilos = [.. survivors.Select(h => h.SiloAddress)];
        RegionPath[] regions =
        [
            RegionOn(silos[0], silos),
            RegionOn(silos[1], silos, r => RendezvousHash.Pick(r, survivingSilos).Equals(silos[heir])),
            RegionOn(silos[2], silos),
        ];

        // Chain i: a(i) in region A (primary) → b(i) in region B (the victim) → c(i) in region C.
        uint Id(int region, int chain) => 5000 + (uint)(region * 100) + (uint)chain;
        var all = new List<uint>();
        for (var r = 0; r < 3; r++)
        {
            for (var i = 0; i < Chains; i++)
            {
                var neuron = grains.GetGrain<INeuronGrain>(Id(r, i));
                await neuron.Configure(new NeuronConfig { Region = regions[r] });
                await neuron.BindBehaviour(RelayBehaviour.Name);
                all.Add(Id(r, i));
            }
        }

        for (var i = 0; i < Chains; i++)
        {
            await grains.GetGrain<INeuronGrain>(Id(0, i)).Connect(new OutgoingSynapse(Id(1, i), 1));
            await grains.GetGrain<INeuronGrain>(Id(1, i)).Connect(new OutgoingSynapse(Id(2, i), 1));
        }

        var supervisor = grains.GetGrain<ISupervisorGrain>("agents");
        await supervisor.Configure(new SupervisorConfig
        {
            Strategy = SupervisionStrategy.OneForOne,
            MaxRestarts = 50,
            WithinSeconds = 60,
            HealthCheckPeriodMs = 200,
            HealthCheckTimeoutMs = 1000,
            MissedChecksAllowed = 30, // membership, not the checks' patience, must find this silo's loss
            BackoffBaseMs = 10,
            BackoffMaxMs = 100,
        });
        foreach (var id in all)
        {
            await supervisor.AddChild(ChildRef.Neuron(id));
        }

        var bSilo = (await grains.GetGrain<INeuronGrain>(Id(1, 0)).GetActivity()).Silo;
        Assert.Equal(victim.SiloAddress.ToParsableString(), bSilo);
        for (var r = 0; r < 3; r++)
        {
            for (var i = 0; i < Chains; i++)
            {
                // Every agent is hosted on its region's silo: one elsewhere would receive nothing from its chain.
                var activity = await grains.GetGrain<INeuronGrain>(Id(r, i)).GetActivity();
                Assert.True(activity.Hosted && activity.Silo == silos[r].ToParsableString(), $"neuron {Id(r, i)} of region {regions[r]} should be hosted on {silos[r]}; it is on {activity.Silo}, hosted={activity.Hosted}, faults: [{string.Join("; ", activity.RecentFaults)}]");
            }
        }

        var store = handles[0].ServiceProvider.GetRequiredService<IDeltaLogStore>();
        var before = await Task.WhenAll(all.Select(async id => (Info: await grains.GetGrain<INeuronGrain>(id).Inspect(), Version: (await store.GetStreamAsync(grains.GetGrain<INeuronGrain>(id).GetGrainId().ToString()))!.Version)));

        using var stop = new CancellationTokenSource();
        long stimulations = 0, refused = 0;
        var workload = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    await grains.GetGrain<INeuronGrain>(Id(0, n % Chains)).Stimulate();
                    Interlocked.Increment(ref stimulations);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A call that went through the killed silo's gateway; the client reconnects to the others.
                    Interlocked.Increment(ref refused);
                }
            }
        });
        await Eventually.Until(grains.GetGrain<INeuronGrain>(Id(2, 0)).GetActivity, a => a.Received > 50, "traffic through every chain");

        var clock = Stopwatch.StartNew();
        await _cluster.KillSiloAsync(victim);
        SupervisorStatus status;
        try
        {
            // A read sent through the killed silo's gateway fails after the client's response timeout (30 s); it is
            // read again, as the workload's calls are, within the same 60 s.
            status = (await Eventually.Until(
                async () =>
                {
                    try
                    {
                        return await supervisor.GetStatus();
                    }
                    catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
                    {
                        return null;
                    }
                },
                s => s is not null && s.History.Count(r => r.Kind == FailureKind.SiloLost) >= Chains,
                "the supervisor to restore region B's agents",
                TimeSpan.FromSeconds(60)))!;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await Describe(supervisor, [.. all.Select(id => grains.GetGrain<INeuronGrain>(id))])}", e);
        }

        var restored = clock.Elapsed;
        var answers = await Task.WhenAll(all.Select(id => grains.GetGrain<INeuronGrain>(id).GetActivity()));
        var answered = clock.Elapsed;

        // Every agent answers, hosted in a survivor's mesh; exactly B's agents were restored, each once.
        Assert.All(answers, a => Assert.True(a.Hosted && a.Silo != bSilo, $"{a.Silo} hosted={a.Hosted}"));
        var records = status.History.Where(r => r.Kind == FailureKind.SiloLost).ToArray();
        Assert.Equal(Enumerable.Range(0, Chains).Select(i => ChildRef.Neuron(Id(1, i))), records.Select(r => r.Child).OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.All(records, r => Assert.Contains(bSilo, r.Reason, StringComparison.Ordinal));
        Assert.All(status.History, r => Assert.Equal(FailureKind.SiloLost, r.Kind));

        var stopping = Stopwatch.StartNew();
        await stop.CancelAsync();
        await workload;
        var stopped = stopping.Elapsed;

        // No confirmed delta lost: every neuron's log and state are as they were.
        for (var i = 0; i < all.Count; i++)
        {
            var grain = grains.GetGrain<INeuronGrain>(all[i]);
            var info = await grain.Inspect();
            Assert.Equal(before[i].Version, (await store.GetStreamAsync(grain.GetGrainId().ToString()))!.Version);
            Assert.Equal((before[i].Info.Region, before[i].Info.Behaviour), (info.Region, info.Behaviour));
            Assert.Equal(before[i].Info.Synapses.Select(x => x.ToString()), info.Synapses.Select(x => x.ToString()));
        }

        // Region B moved where rendezvous hashing over the survivors puts it, as the placement and every mesh agree.
        Assert.All(Enumerable.Range(0, Chains), i => Assert.Equal(silos[heir].ToParsableString(), answers[all.IndexOf(Id(1, i))].Silo));

        // Every survivor has closed its lane to the dead silo as lost: it takes no more spikes, and refuses them rather
        // than queue them for a silo that will never acknowledge them.
        var outboxes = survivors.Select(h => h.ServiceProvider.GetRequiredService<SiloOutbox>()).ToArray();
        Assert.True(outboxes[0].Counters(victim.SiloAddress).Sent > 0, "region A's silo sent spikes to region B's before the kill");
        foreach (var outbox in outboxes)
        {
            var closed = await Eventually.Until(() => Task.FromResult(outbox.Counters(victim.SiloAddress)), l => l.DestinationLost, $"a survivor (sender {outbox.Sender}) to close its lane to the dead silo {bSilo} as lost");
            Assert.Throws<ObjectDisposedException>(() => outbox.Post(victim.SiloAddress, [Spike.Create(Id(0, 0), Id(1, 0))]));
            Assert.Equal(Tally(closed), Tally(outbox.Counters(victim.SiloAddress)));
        }

        // Quiet: what the workload set off has settled, so what arrives from here on comes from the stimuli below.
        INeuronGrain[] relays = [.. all.Where(id => id >= Id(1, 0)).Select(id => grains.GetGrain<INeuronGrain>(id))];
        long[]? settled = null;
        await Eventually.Until(
            async () =>
            {
                var now = (await Task.WhenAll(relays.Select(r => r.GetActivity()))).Select(x => x.Received).ToArray();
                var quiet = settled is not null && settled.SequenceEqual(now);
                settled = now;
                await Task.Delay(100);
                return quiet;
            },
            quiet => quiet,
            "the restored chains to go quiet after the workload stopped");
        var laneBefore = outboxes.Select(o => o.Counters(victim.SiloAddress)).ToArray();
        var meshBefore = await Task.WhenAll(new[] { Id(0, 0), Id(2, 0) }.Select(async id => (await grains.GetGrain<INeuronGrain>(id).GetActivity()).Mesh!));

        // Spikes flow again through every restored chain: a stimulus at a(i) reaches the restored b(i), which relays it to c(i).
        var flowing = Stopwatch.StartNew();
        long stimuli = 0;
        for (var i = 0; i < Chains; i++)
        {
            var (a, b, c) = (grains.GetGrain<INeuronGrain>(Id(0, i)), grains.GetGrain<INeuronGrain>(Id(1, i)), grains.GetGrain<INeuronGrain>(Id(2, i)));
            var (atB, atC) = (await b.GetActivity(), await c.GetActivity());
            await Eventually.Until(
                async () =>
                {
                    await a.Stimulate();
                    stimuli++;
                    return (B: await b.GetActivity(), C: await c.GetActivity());
                },
                x => x.B.Received > atB.Received && x.C.Received > atC.Received,
                $"a spike stimulated at {Id(0, i)} to reach {Id(1, i)} (restored on {atB.Silo}, received {atB.Received} before) and then {Id(2, i)} (on {atC.Silo}, received {atC.Received} before)",
                TimeSpan.FromSeconds(30));
        }

        var flowed = flowing.Elapsed;

        // The traffic through region B went to its new silo: nothing more was addressed to the dead one, nothing was
        // dropped on the way, and each survivor's cross-silo accounting still balances.
        Assert.Equal(laneBefore.Select(Tally), outboxes.Select(o => Tally(o.Counters(victim.SiloAddress))));
        var meshAfter = await Task.WhenAll(new[] { Id(0, 0), Id(2, 0) }.Select(async id => (await grains.GetGrain<INeuronGrain>(id).GetActivity()).Mesh!));
        for (var s = 0; s < meshAfter.Length; s++)
        {
            Assert.Equal(meshBefore[s].RemoteDropped, meshAfter[s].RemoteDropped);
            Assert.True(meshAfter[s].Balances, $"silo accounting after the traffic through the restored chains: {meshAfter[s]}");
        }

        // Spikes the survivors had handed to the dead silo are counted as lost with it, none left in flight.
        var lanes = handles.Where(h => h != victim).Select(h => h.ServiceProvider.GetRequiredService<SiloOutbox>().Counters(victim.SiloAddress)).ToArray();
        var toVictim = lanes.Sum(l => l.Sent);
        Assert.True(toVictim > 0, "the survivors sent spikes to the victim");
        Assert.All(lanes, l => Assert.Equal(0, l.InFlight));
        Assert.All(lanes, l => Assert.Equal(l.Sent, l.Delivered + l.Dropped));
        foreach (var id in new[] { Id(0, 0), Id(2, 0) })
        {
            var mesh = (await grains.GetGrain<INeuronGrain>(id).GetActivity()).Mesh!;
            Assert.True(mesh.Balances, $"silo accounting: {mesh}");
        }

        var lost = lanes.Sum(l => l.DroppedSiloLost);
        output.WriteLine($"killed {bSilo}; SiloLost restarts recorded after {restored.TotalSeconds:0.00} s, every agent answered after {answered.TotalSeconds:0.00} s; " +
            $"{Interlocked.Read(ref stimulations)} stimulations ({Interlocked.Read(ref refused)} refused while the client lost its gateway); spikes to the victim: {toVictim} sent, {lanes.Sum(l => l.Delivered)} delivered, {lost} lost with the silo, " +
            $"{lanes.Sum(l => l.Dropped) - lost} dropped otherwise; deltas lost: 0 of {before.Sum(b => b.Version)}; " +
            $"the workload's last call returned {stopped.TotalSeconds:0.00} s after its stop; {stimuli} stimuli crossed every restored chain (region B on silo {heir}) within {flowed.TotalSeconds:0.00} s");
    }

    /// <summary>What the supervisor recorded and where each agent answers from (or why not), for a failure message.</summary>
    private static async Task<string> Describe(ISupervisorGrain supervisor, INeuronGrain[] agents)
    {
        var status = await supervisor.GetStatus();
        var lines = new List<string> { $"supervisor on {status.Silo}, {status.Checks} checks; history: [{string.Join("; ", status.History)}]; children: [{string.Join("; ", status.Children)}]; escalations: [{string.Join("; ", status.Escalations)}]" };
        foreach (var agent in agents)
        {
            try
            {
                var activity = await agent.GetActivity().WaitAsync(TimeSpan.FromSeconds(2));
                lines.Add($"{agent.GetPrimaryKeyLong()}: on {activity.Silo}, hosted={activity.Hosted}, received={activity.Received}, faults: [{string.Join("; ", activity.RecentFaults)}]");
            }
            catch (Exception e)
            {
                lines.Add($"{agent.GetPrimaryKeyLong()}: {e.GetType().Name}: {e.Message}");
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>A lane's spike accounting (not its batch figures, which a call to the dead silo still on the wire may move).</summary>
    private static (long Sent, long Delivered, long Dropped, long SiloLost, long InFlight) Tally(MeshLaneCounters lane)
        => (lane.Sent, lane.Delivered, lane.Dropped, lane.DroppedSiloLost, lane.InFlight);

    /// <summary>A region that <see cref="RendezvousHash"/> places on <paramref name="silo"/> among <paramref name="silos"/> and that satisfies <paramref name="also"/>.</summary>
    private static RegionPath RegionOn(SiloAddress silo, SiloAddress[] silos, Func<RegionPath, bool>? also = null)
    {
        for (var i = 0; i < 1000; i++)
        {
            var region = RegionPath.Parse($"loss/r{i}");
            if (RendezvousHash.Pick(region, silos).Equals(silo) && (also?.Invoke(region) ?? true))
            {
                return region;
            }
        }

        throw new InvalidOperationException($"no region of loss/r0..r999 hashed to {silo} (with the extra condition: {also is not null})");
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:DeltaLog:Path"] = Path.Combine(Path.GetTempPath(), $"neuromesh-agent-loss-{RunId}.db"),
                ["NeuroMesh:Cluster:MeshTransport"] = "Calls",
            }).Build();
            siloBuilder.AddNeuroMesh(configuration);

            // A silo that stops answering is declared dead after about two missed one-second probes.
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        }
    }
}
