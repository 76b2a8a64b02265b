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

    [Fact]
    public async Task A_killed_silos_agents_answer_again_on_the_survivors_with_no_delta_lost_and_its_in_flight_spikes_counted()
    {
        var grains = _cluster.GrainFactory;
        var handles = _cluster.Silos.Cast<InProcessSiloHandle>().ToArray();
        var silos = handles.Select(h => h.SiloAddress).ToArray();
        RegionPath[] regions = [.. silos.Select(s => RegionOn(s, silos))];
        var victim = handles[1];

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
        await ClusterWait.Until(grains.GetGrain<INeuronGrain>(Id(2, 0)).GetActivity, a => a.Received > 50, "traffic through every chain");

        var clock = Stopwatch.StartNew();
        await _cluster.KillSiloAsync(victim);
        var status = await ClusterWait.Until(supervisor.GetStatus, s => s.History.Count(r => r.Kind == FailureKind.SiloLost) >= Chains, "the supervisor to restore region B's agents", 60_000);
        var restored = clock.Elapsed;
        var answers = await Task.WhenAll(all.Select(id => grains.GetGrain<INeuronGrain>(id).GetActivity()));
        var answered = clock.Elapsed;

        // Every agent answers, hosted in a survivor's mesh; exactly B's agents were restored, each once.
        Assert.All(answers, a => Assert.True(a.Hosted && a.Silo != bSilo, $"{a.Silo} hosted={a.Hosted}"));
        var records = status.History.Where(r => r.Kind == FailureKind.SiloLost).ToArray();
        Assert.Equal(Enumerable.Range(0, Chains).Select(i => ChildRef.Neuron(Id(1, i))), records.Select(r => r.Child).OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.All(records, r => Assert.Contains(bSilo, r.Reason, StringComparison.Ordinal));
        Assert.All(status.History, r => Assert.Equal(FailureKind.SiloLost, r.Kind));

        await stop.CancelAsync();
        await workload;

        // No confirmed delta lost: every neuron's log and state are as they were.
        for (var i = 0; i < all.Count; i++)
        {
            var grain = grains.GetGrain<INeuronGrain>(all[i]);
            var info = await grain.Inspect();
            Assert.Equal(before[i].Version, (await store.GetStreamAsync(grain.GetGrainId().ToString()))!.Version);
            Assert.Equal((before[i].Info.Region, before[i].Info.Behaviour), (info.Region, info.Behaviour));
            Assert.Equal(before[i].Info.Synapses.Select(x => x.ToString()), info.Synapses.Select(x => x.ToString()));
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
            $"{lanes.Sum(l => l.Dropped) - lost} dropped otherwise; deltas lost: 0 of {before.Sum(b => b.Version)}");
    }

    private static RegionPath RegionOn(SiloAddress silo, SiloAddress[] silos)
    {
        for (var i = 0; i < 1000; i++)
        {
            var region = RegionPath.Parse($"loss/r{i}");
            if (RendezvousHash.Pick(region, silos).Equals(silo))
            {
                return region;
            }
        }

        throw new InvalidOperationException($"no region hashed to {silo}");
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
