using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroMesh.Agents;
using NeuroMesh.Cluster;
using NeuroMesh.Hosting;
using NeuroMesh.Neurons;
using NeuroMesh.Placement;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Cluster;
using Orleans.TestingHost;

namespace NeuroMesh.Tests.Neurons;

/// <summary>
/// Neuron grains on different silos of a real three-silo cluster exchange spikes over the mesh path (SiloOutbox →
/// transport → MeshIngress → the target silo's Cortex), with every pair accounted for.
/// </summary>
public abstract class CrossSiloNeuronTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : CrossSiloNeuronFixture
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    /// <summary>Neuron <paramref name="n"/> of this fixture (each fixture has its own id range: the recorder's log is process-wide).</summary>
    private uint N(uint n) => fixture.IdBase + n;

    [Fact]
    public async Task A_spike_reaches_a_neuron_on_another_silo_exactly_once_per_stimulation_with_its_source_and_payload()
    {
        const int Stimulations = 1000;
        var (regionA, regionB) = fixture.RegionsOnDifferentSilos("xsilo/exact");
        var sender = await fixture.Neuron(N(1), regionA, CrossSiloBehaviours.Numbered);
        var receiver = await fixture.Neuron(N(2), regionB, CrossSiloBehaviours.Recorder);
        await sender.Connect(new OutgoingSynapse(N(2), 1));

        var before = await sender.GetActivity();
        var receiverBefore = await receiver.GetActivity();
        Assert.NotEqual(before.Silo, receiverBefore.Silo);

        for (var i = 0; i < Stimulations; i++)
        {
            await sender.Stimulate();
        }

        var got = await Eventually.Until(receiver.GetActivity, a => a.Received >= Stimulations, $"{Stimulations} spikes at neuron {N(2)}", TimeSpan.FromSeconds(30));
        var sent = await Eventually.Until(sender.GetActivity, a => a.Mesh!.RemoteInFlight == 0, "the sender's outbox to drain", TimeSpan.FromSeconds(30));

        Assert.Equal(Stimulations, sent.Fired);
        Assert.Equal(Stimulations, sent.RemoteSent);
        Assert.Equal(0, sent.RemoteDropped);
        Assert.Equal(Stimulations, got.Received);
        Assert.Equal(Stimulations, got.RemoteReceived);
        Assert.Equal(0, got.Faults);
        Assert.True(sent.Mesh!.Balances, $"sender silo accounting: {sent.Mesh}");
        Assert.Equal(Stimulations, sent.Mesh.RemoteSent - before.Mesh!.RemoteSent);
        Assert.Equal(Stimulations, sent.Mesh.RemoteAccepted - before.Mesh.RemoteAccepted);
        Assert.Equal(before.Mesh.RemoteDropped.Values.Sum(), sent.Mesh.RemoteDropped.Values.Sum());
        Assert.Equal(Stimulations, got.Mesh!.Injected - receiverBefore.Mesh!.Injected);

        var recorded = CrossSiloBehaviours.Received(N(2));
        Assert.Equal(Stimulations, recorded.Length);
        Assert.All(recorded, r => Assert.Equal((N(1), N(2)), (r.Source, r.Target)));
        Assert.All(recorded, r => Assert.True(r.Flags.HasFlag(SpikeFlags.Remote), $"flags {r.Flags}"));
        Assert.Equal(Enumerable.Range(0, Stimulations), recorded.Select(r => r.Number));

        // Nothing more arrives: the counts are exact, not at-least.
        await sender.Stimulate();
        var last = await Eventually.Until(receiver.GetActivity, a => a.Received >= Stimulations + 1, "one more spike");
        Assert.Equal(Stimulations + 1, last.Received);
    }

    [Fact]
    public async Task A_spike_for_a_neuron_that_is_not_hosted_on_its_silo_is_dropped_and_counted_with_a_reason()
    {
        const int Stimulations = 20;
        var (regionA, regionB) = fixture.RegionsOnDifferentSilos("xsilo/unhosted");
        var sender = await fixture.Neuron(N(101), regionA, RelayBehaviour.Name);
        var target = Grains.GetGrain<INeuronGrain>(N(102));
        await target.Configure(new NeuronConfig { Region = regionB });
        await sender.Connect(new OutgoingSynapse(N(102), 1));
        await sender.Connect(new OutgoingSynapse(N(199), 1)); // never configured: no region, so no silo to send to

        var targetSilo = await target.GetActivity();
        Assert.False(targetSilo.Hosted);
        Assert.NotEqual((await sender.GetActivity()).Silo, targetSilo.Silo);
        var notHostedBefore = targetSilo.Mesh!.InboundDropped.GetValueOrDefault("NotHosted");

        for (var i = 0; i < Stimulations; i++)
        {
            await sender.Stimulate();
        }

        var after = await Eventually.Until(
            target.GetActivity, a => a.Mesh!.InboundDropped.GetValueOrDefault("NotHosted") >= notHostedBefore + Stimulations, "the unhosted target's silo to count the drops");
        Assert.Equal(notHostedBefore + Stimulations, after.Mesh!.InboundDropped["NotHosted"]);
        Assert.Equal(0, after.RemoteReceived);
        Assert.Equal(0, after.Received);

        var sent = await Eventually.Until(sender.GetActivity, a => a.Mesh!.RemoteInFlight == 0, "the sender's outbox to drain");
        Assert.Equal(2 * Stimulations, sent.RemoteSent);
        Assert.Equal(Stimulations, sent.RemoteDropped);
        Assert.True(sent.Mesh!.RemoteDropped.GetValueOrDefault("NoRegion") >= Stimulations, $"sender silo accounting: {string.Join(", ", sent.Mesh.RemoteDropped)}");
        Assert.True(sent.Mesh.Balances, $"sender silo accounting: {sent.Mesh}");
    }

    [Fact]
    public async Task A_throwing_behaviour_on_the_receiving_silo_is_reported_and_that_silo_keeps_delivering()
    {
        var (regionA, regionB) = fixture.RegionsOnDifferentSilos("xsilo/faulty");
        var sender = await fixture.Neuron(N(201), regionA, RelayBehaviour.Name);
        var faulty = await fixture.Neuron(N(202), regionB, TestBehaviours.Throws);
        var healthy = await fixture.Neuron(N(203), regionB, RelayBehaviour.Name);
        await sender.Connect(new OutgoingSynapse(N(202), 1));
        await sender.Connect(new OutgoingSynapse(N(203), 1));
        Assert.NotEqual((await sender.GetActivity()).Silo, (await faulty.GetActivity()).Silo);

        for (var i = 0; i < 5; i++)
        {
            await sender.Stimulate();
        }

        var report = await Eventually.Until(faulty.GetActivity, a => a.Faults >= 5, $"five faults of neuron {N(202)}");
        Assert.Equal(5, report.Faults);
        Assert.Equal(5, report.RemoteReceived);
        Assert.Contains(report.RecentFaults, f => f.StartsWith("OnSpike", StringComparison.Ordinal) && f.Contains($"boom on spike from {N(201)}", StringComparison.Ordinal));
        await Eventually.Until(healthy.GetActivity, a => a.Received >= 5, $"five spikes at neuron {N(203)}");

        await sender.Stimulate();
        var after = await Eventually.Until(healthy.GetActivity, a => a.Received >= 6, $"the sixth spike at neuron {N(203)}");
        Assert.Equal(6, after.Received);
        Assert.Equal(0, after.Faults);
        Assert.Equal(report.Silo, after.Silo);
        Assert.Equal(6, (await Eventually.Until(faulty.GetActivity, a => a.Faults >= 6, "the sixth fault")).Faults);
    }

    [Fact]
    public async Task The_agents_demo_topology_runs_over_neuron_grains_on_three_silos()
    {
        // sensor (perception/sensors) -> two classifiers (perception/classifiers) -> actuator (motor/actuators), each
        // region on its own silo, so both hops cross silos. The demo's classifier behaviours; a numbered sensor and a
        // recording actuator stand in for the demo's sensor (which picks one classifier by local discovery) and
        // actuator (which learns through the engine's R-STDP synapses, not modelled by the grain mesh).
        const int Observations = 200;
        var sensors = fixture.RegionAvoiding("demo/perception/sensors");
        var classifiers = fixture.RegionAvoiding("demo/perception/classifiers", sensors);
        var actuators = fixture.RegionAvoiding("demo/motor/actuators", sensors, classifiers);
        var sensor = await fixture.Neuron(N(301), sensors, CrossSiloBehaviours.Numbered);
        var useful = await fixture.Neuron(N(302), classifiers, CrossSiloBehaviours.UsefulClassifier);
        var noisy = await fixture.Neuron(N(303), classifiers, CrossSiloBehaviours.NoisyClassifier);
        var actuator = await fixture.Neuron(N(304), actuators, CrossSiloBehaviours.Recorder);
        await sensor.Connect(new OutgoingSynapse(N(302), 1));
        await sensor.Connect(new OutgoingSynapse(N(303), 1));
        await useful.Connect(new OutgoingSynapse(N(304), 0.5));
        await noisy.Connect(new OutgoingSynapse(N(304), 0.5));
        var silos = new[] { sensor, useful, noisy, actuator }.Select(n => n.GetActivity()).ToArray();
        var where = (await Task.WhenAll(silos)).Select(a => a.Silo).ToArray();
        var homes = new[] { sensors, classifiers, classifiers, actuators }.Select(fixture.HomeOf).ToArray();
        Assert.True(homes.SequenceEqual(where), $"neurons on {string.Join(", ", where)}; their regions' homes are {string.Join(", ", homes)}");
        Assert.Equal(3, where.Distinct().Count());
        Assert.Equal(where[1], where[2]);

        for (var i = 0; i < Observations; i++)
        {
            await sensor.Stimulate();
        }

        var acted = await Eventually.Until(actuator.GetActivity, a => a.Received >= 2 * Observations, $"{2 * Observations} predictions at the actuator", TimeSpan.FromSeconds(30));
        Assert.Equal(2 * Observations, acted.Received);
        Assert.Equal(2 * Observations, acted.RemoteReceived);
        Assert.Equal(Observations, (await useful.GetActivity()).RemoteReceived);
        Assert.Equal(Observations, (await noisy.GetActivity()).RemoteReceived);

        var predictions = CrossSiloBehaviours.Received(N(304));
        var fromUseful = predictions.Where(p => p.Source == N(302)).Select(p => p.Number).ToArray();
        var fromNoisy = predictions.Where(p => p.Source == N(303)).Select(p => p.Number).ToArray();
        Assert.Equal(Enumerable.Range(0, Observations).Select(i => i & 0xFF), fromUseful); // right every time, in order
        Assert.Equal(Observations, fromNoisy.Length);
        Assert.All(fromNoisy, n => Assert.InRange(n, 0, 1)); // a guess
    }
}

/// <summary>The cross-silo neuron tests over the default transport, Push (in-process hand-off: the test cluster's silos share this process).</summary>
public sealed class CrossSiloNeuronPushTests(CrossSiloPushFixture fixture) : CrossSiloNeuronTests<CrossSiloPushFixture>(fixture);

/// <summary>The cross-silo neuron tests over memory streams (<c>NeuroMesh:Cluster:MeshTransport=Streams</c>).</summary>
public sealed class CrossSiloNeuronStreamsTests(CrossSiloStreamsFixture fixture) : CrossSiloNeuronTests<CrossSiloStreamsFixture>(fixture);

/// <summary>The cross-silo neuron tests over grain calls (<c>NeuroMesh:Cluster:MeshTransport=Calls</c>).</summary>
public sealed class CrossSiloNeuronCallsTests(CrossSiloCallsFixture fixture) : CrossSiloNeuronTests<CrossSiloCallsFixture>(fixture);

/// <summary>Three silos whose mesh runs over the default Push transport.</summary>
public sealed class CrossSiloPushFixture : CrossSiloNeuronFixture
{
    public override uint IdBase => 6000;

    protected override void AddConfigurator(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<Push>();

    private sealed class Push : Configurator
    {
        protected override string Transport => "Push";
    }
}

/// <summary>Three silos whose mesh runs over memory streams.</summary>
public sealed class CrossSiloStreamsFixture : CrossSiloNeuronFixture
{
    public override uint IdBase => 3000;

    protected override void AddConfigurator(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<Streams>();

    private sealed class Streams : Configurator
    {
        protected override string Transport => "Streams";
    }
}

/// <summary>Three silos whose mesh runs over grain calls.</summary>
public sealed class CrossSiloCallsFixture : CrossSiloNeuronFixture
{
    public override uint IdBase => 4000;

    protected override void AddConfigurator(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<Calls>();

    private sealed class Calls : Configurator
    {
        protected override string Transport => "Calls";
    }
}

/// <summary>Behaviours of the cross-silo tests: a sender that numbers its spikes and a receiver that records them.</summary>
public static class CrossSiloBehaviours
{
    public const string Numbered = "test.numbered";
    public const string Recorder = "test.recorder";

    private static readonly ConcurrentDictionary<uint, ConcurrentQueue<Record>> Records = new();

    public const string UsefulClassifier = "test.classifier.useful";
    public const string NoisyClassifier = "test.classifier.noisy";

    public static void Register(ISiloBuilder silo)
    {
        silo.AddNeuronBehaviour<NumberedBehaviour>(Numbered);
        silo.AddNeuronBehaviour<RecorderBehaviour>(Recorder);
        silo.AddNeuronBehaviour(UsefulClassifier, _ => new NeuroMesh.Agents.Demo.ClassifierBehaviour(useful: true, seed: 1));
        silo.AddNeuronBehaviour(NoisyClassifier, _ => new NeuroMesh.Agents.Demo.ClassifierBehaviour(useful: false, seed: 2));
    }

    public static Record[] Received(uint neuron) => Records.TryGetValue(neuron, out var q) ? [.. q] : [];

    public readonly record struct Record(uint Source, uint Target, SpikeFlags Flags, int Number);

    /// <summary>Broadcasts 0, 1, 2, ... (a four-byte inline payload) each time it is stimulated.</summary>
    public sealed class NumberedBehaviour : INeuronBehaviour
    {
        private int _next;

        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron) => neuron.Broadcast(BitConverter.GetBytes(_next++));
    }

    /// <summary>Records every spike it receives (source, target, flags, the number in its payload).</summary>
    public sealed class RecorderBehaviour : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
            var payload = neuron.ReadPayload(spike);
            var number = payload.Length switch { 4 => BitConverter.ToInt32(payload), 1 => payload[0], _ => -1 };
            Records.GetOrAdd(neuron.Id, _ => new()).Enqueue(new Record(spike.Source, spike.Target, spike.Flags, number));
        }

        public void OnFire(NeuronHandle neuron)
        {
        }
    }
}

/// <summary>
/// Three in-process silos wired by AddNeuroMesh over one mesh transport, with the test behaviours. Before any
/// neuron grain activates, every silo-to-silo lane carries a little traffic until a round loses nothing (a memory
/// queue that moves between pulling agents right after the silos join loses its cache), so tests start settled.
/// </summary>
public abstract class CrossSiloNeuronFixture : IAsyncLifetime
{
    private static readonly string RunId = Guid.NewGuid().ToString("N");

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Where this fixture's neuron ids start.</summary>
    public abstract uint IdBase { get; }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        AddConfigurator(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        // Every silo must count all three active before a test places neurons: a view that still lacks a joining silo
        // hashes regions over fewer silos than the tests (which hash over Cluster.Silos) expect.
        var views = Cluster.Silos.Cast<InProcessSiloHandle>().Select(h => h.ServiceProvider.GetRequiredService<IClusterMembershipService>()).ToArray();
        await Eventually.Until(
            () => views.Select(v => v.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active)).ToArray(),
            active => active.All(n => n == 3),
            "every silo to count the three silos active",
            TimeSpan.FromSeconds(60));

        await WarmUp();
    }

    public async Task DisposeAsync()
    {
        await TestClusters.StopAndDeleteAsync(Cluster, $"neuromesh-xsilo-*-{RunId}.db*");
    }

    /// <summary>Two region names under <paramref name="prefix"/> that rendezvous hashing places on different silos.</summary>
    public (RegionPath A, RegionPath B) RegionsOnDifferentSilos(string prefix)
    {
        var silos = Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        var a = RegionPath.Parse($"{prefix}/a");
        var home = RendezvousHash.Pick(a, silos);
        for (var i = 0; i < 100; i++)
        {
            var b = RegionPath.Parse($"{prefix}/b{i}");
            if (!RendezvousHash.Pick(b, silos).Equals(home))
            {
                return (a, b);
            }
        }

        throw new InvalidOperationException("no region name hashed to another silo");
    }

    /// <summary>The silo rendezvous hashing places <paramref name="region"/> on, as a neuron reports its silo.</summary>
    public string HomeOf(RegionPath region) => RendezvousHash.Pick(region, [.. Cluster.Silos.Select(s => s.SiloAddress)]).ToParsableString();

    /// <summary>A region named <paramref name="prefix"/>, or <paramref name="prefix"/>-n, that rendezvous hashing places on none of <paramref name="avoid"/>.</summary>
    public RegionPath RegionAvoiding(string prefix, params RegionPath[] avoid)
    {
        var silos = Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        var taken = avoid.Select(r => RendezvousHash.Pick(r, silos)).ToHashSet();
        for (var i = 0; i < 100; i++)
        {
            var region = RegionPath.Parse(i == 0 ? prefix : $"{prefix}-{i}");
            if (!taken.Contains(RendezvousHash.Pick(region, silos)))
            {
                return region;
            }
        }

        throw new InvalidOperationException($"no region name under {prefix} hashed to a free silo");
    }

    /// <summary>Configures neuron <paramref name="id"/> in <paramref name="region"/> and binds <paramref name="behaviour"/>.</summary>
    public async Task<INeuronGrain> Neuron(uint id, RegionPath region, string behaviour)
    {
        var neuron = Cluster.GrainFactory.GetGrain<INeuronGrain>(id);
        await neuron.Configure(new NeuronConfig { Region = region });
        await neuron.BindBehaviour(behaviour);
        return neuron;
    }

    protected abstract void AddConfigurator(TestClusterBuilder builder);

    private async Task WarmUp()
    {
        var silos = Cluster.Silos.Cast<InProcessSiloHandle>().Select(h => (h.SiloAddress, Outbox: h.ServiceProvider.GetRequiredService<SiloOutbox>())).ToArray();
        var lanes = (from a in silos from b in silos where !a.SiloAddress.Equals(b.SiloAddress) select (From: a.Outbox, To: b.SiloAddress)).ToArray();
        for (var round = 0; round < 20; round++)
        {
            var lostBefore = lanes.Sum(l => l.From.Counters(l.To).DroppedLost);
            for (var i = 0; i < lanes.Length; i++)
            {
                await lanes[i].From.SendAsync(lanes[i].To, MeshSpikes.Make((uint)(i + 1), round * 100, 100));
            }

            await Eventually.True(() => lanes.All(l => l.From.Counters(l.To).InFlight == 0), "the warm-up traffic has arrived or been counted lost");
            if (lanes.Sum(l => l.From.Counters(l.To).DroppedLost) == lostBefore)
            {
                return;
            }
        }

        throw new InvalidOperationException("mesh traffic was still being lost after 20 warm-up rounds");
    }

    /// <summary>Configures a silo with the mesh transport named by <see cref="Transport"/> (and its own database file).</summary>
    protected abstract class Configurator : ISiloConfigurator
    {
        protected abstract string Transport { get; }

        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["NeuroMesh:Fabric:Tier"] = "Light",
                ["NeuroMesh:DeltaLog:Path"] = Path.Combine(Path.GetTempPath(), $"neuromesh-xsilo-{Transport}-{RunId}.db"),
                ["NeuroMesh:Cluster:MeshTransport"] = Transport,
            }).Build();
            siloBuilder.AddNeuroMesh(configuration);
            TestBehaviours.Register(siloBuilder);
            CrossSiloBehaviours.Register(siloBuilder);
        }
    }
}
