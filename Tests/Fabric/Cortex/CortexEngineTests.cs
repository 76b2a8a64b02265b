using NeuroMesh.Agents;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Fabric;
using NeuroMesh.Network;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Engine;

namespace NeuroMesh.Tests.Fabric;

/// <summary>The Cortex loop joined to the CPU engine: agents' spikes travel through real synapses, filters and STDP.</summary>
[Trait("Tier", "Unit")]
public class CortexEngineTests
{
    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(1.0, 11)]
    public void A_broadcast_reaches_a_hosted_neuron_through_the_synapse_delay_with_its_payload(double delayMs, int expectedHopTicks)
    {
        using var engine = new CpuEngine(Specs.TwoNeurons(NeuronModels.LifDelta, Specs.AToB(weight: 1, delayMs)), new EngineOptions { Threads = 1 });
        using var cortex = new Cortex(engine);
        var sender = new FireOnStimulus("hello through a synapse, longer than thirty-six bytes"u8.ToArray());
        var receiver = new Recorder();
        cortex.AddNeuron(0, sender);
        cortex.AddNeuron(1, receiver);

        cortex.Stimulate(0);
        RunTicks(cortex, 20);

        var got = Assert.Single(receiver.Spikes);
        Assert.Equal(0u, got.Spike.Source);
        Assert.Equal(sender.FiredAt, got.Spike.Tick);
        Assert.Equal("hello through a synapse, longer than thirty-six bytes"u8.ToArray(), got.Payload);
        Assert.Equal((uint)expectedHopTicks, got.Tick - sender.FiredAt);

        var counters = cortex.Counters;
        Assert.True(counters.Balances);
        Assert.Equal(1, counters.Fired);
        Assert.Equal(1, counters.Delivered);
        Assert.Equal(1, counters.Deliveries);
        Assert.Equal(0, cortex.PendingDeliveries);
        Assert.Equal(0, cortex.Fabric.Payloads.LiveBlocks);
    }

    [Fact]
    public void A_strong_synapse_drives_the_hosted_membrane_over_threshold_and_the_behaviour_decides_to_fire()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons(NeuronModels.LifDelta, Specs.AToB(weight: 20)), new EngineOptions { Threads = 1 });
        using var cortex = new Cortex(engine);
        var sender = new FireOnStimulus([]);
        var receiver = new Recorder();
        cortex.AddNeuron(0, sender);
        cortex.AddNeuron(1, receiver);

        cortex.Stimulate(0);
        RunTicks(cortex, 10);

        Assert.Single(receiver.Spikes);
        Assert.Equal(1, receiver.Crossings);
        Assert.Equal(receiver.Spikes[0].Tick + 1, receiver.CrossedAt);
    }

    [Fact]
    public void Dendritic_filters_on_the_synapse_see_the_agents_own_spike()
    {
        var filter = new FilterSpec { Kind = "payload_prefix", Prefix = "CAFE" };
        using var engine = new CpuEngine(Specs.TwoNeurons(NeuronModels.LifDelta, Specs.AToB(weight: 1, filter: filter)), new EngineOptions { Threads = 1 });
        using var cortex = new Cortex(engine);
        var sender = new FireOnStimulus([0xCA, 0xFE, 1]);
        var receiver = new Recorder();
        cortex.AddNeuron(0, sender);
        cortex.AddNeuron(1, receiver);

        cortex.Stimulate(0);
        RunTicks(cortex, 10);
        sender.Payload = [0xBE, 0xEF];
        cortex.Stimulate(0);
        RunTicks(cortex, 10);

        var got = Assert.Single(receiver.Spikes);
        Assert.Equal([0xCA, 0xFE, 1], got.Payload);
        Assert.Equal(1, engine.Counters.FilteredSpikes);
        Assert.Equal(2, cortex.Counters.Delivered);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Agent_firings_drive_STDP_on_the_synapse_between_them(bool preBeforePost)
    {
        var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, WMin = 0, WMax = 5 };
        using var engine = new CpuEngine(Specs.TwoNeurons(NeuronModels.LifDelta, Specs.AToB(weight: 1, plasticity: stdp)), new EngineOptions { Threads = 1 });
        using var cortex = new Cortex(engine);
        cortex.AddNeuron(0, new FireOnStimulus([]));
        cortex.AddNeuron(1, new FireOnStimulus([]));
        Assert.True(engine.TryGetWeight(0, 1, out var before));

        cortex.Stimulate(preBeforePost ? 0u : 1u);
        RunTicks(cortex, 30);
        cortex.Stimulate(preBeforePost ? 1u : 0u);
        RunTicks(cortex, 30);

        Assert.True(engine.TryGetWeight(0, 1, out var after));
        if (preBeforePost)
        {
            Assert.True(after > before, $"pre then post should potentiate: {before} -> {after}");
        }
        else
        {
            Assert.True(after < before, $"post then pre should depress: {before} -> {after}");
        }
    }

    [Fact]
    public void Population_spikes_reach_a_hosted_agent_as_synthesised_spikes()
    {
        var spec = new NetworkSpec
        {
            Dt = 0.1,
            Duration = 100,
            Seed = 7,
            Populations =
            [
                new PopulationSpec { Name = "input", Size = 20, Model = NeuronModels.LifDelta, Params = Specs.Quiet() },
                new PopulationSpec { Name = "agent", Size = 1, Model = NeuronModels.LifDelta, Params = Specs.Quiet() },
            ],
            Projections =
            [
                new ProjectionSpec
                {
                    Name = "feed", Source = "input", Target = "agent", Rule = new ConnectionRuleSpec { Kind = ConnectionRuleKinds.AllToAll },
                    Weight = DistributionSpec.Constant(0.1), Delay = DistributionSpec.Constant(0.5),
                },
            ],
            Stimuli = [new StimulusSpec { Name = "drive", Kind = StimulusKinds.Poisson, Target = "input", Rate = 500, Weight = 20 }],
        };
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var cortex = new Cortex(engine);
        var agent = new Recorder();
        cortex.AddNeuron(20, agent);

        RunTicks(cortex, 500);

        Assert.NotEmpty(agent.Spikes);
        Assert.All(agent.Spikes, s =>
        {
            Assert.InRange(s.Spike.Source, 0u, 19u);
            Assert.Equal(20u, s.Spike.Target);
            Assert.Equal(SpikeType.Excitatory, s.Spike.Type);
            Assert.Equal(5u, s.Tick - s.Spike.Tick);
        });
        Assert.Equal(0, cortex.Counters.Fired);
    }

    [Fact]
    public void Agent_deliveries_are_identical_on_one_and_on_two_engine_threads()
    {
        static List<(uint, uint, uint)> Run(int threads)
        {
            var spec = new NetworkSpec
            {
                Dt = 0.1,
                Duration = 100,
                Seed = 3,
                Populations =
                [
                    new PopulationSpec { Name = "input", Size = 400, Model = NeuronModels.LifDelta, Params = Specs.Quiet() },
                    new PopulationSpec { Name = "agents", Size = 4, Model = NeuronModels.LifDelta, Params = Specs.Quiet() },
                ],
                Projections =
                [
                    new ProjectionSpec
                    {
                        Name = "feed", Source = "input", Target = "agents", Rule = new ConnectionRuleSpec { Kind = ConnectionRuleKinds.FixedProbability, P = 0.1 },
                        Weight = DistributionSpec.Constant(0.5), Delay = DistributionSpec.Constant(0.2),
                    },
                ],
                Stimuli = [new StimulusSpec { Name = "drive", Kind = StimulusKinds.Poisson, Target = "input", Rate = 200, Weight = 20 }],
            };
            using var engine = new CpuEngine(spec, new EngineOptions { Threads = threads, AdaptiveParallelism = false });
            using var cortex = new Cortex(engine);
            var recorders = Enumerable.Range(0, 4).Select(_ => new Recorder()).ToArray();
            for (var i = 0; i < 4; i++)
            {
                cortex.AddNeuron((uint)(400 + i), recorders[i]);
            }

            RunTicks(cortex, 300);
            return [.. recorders.SelectMany((r, i) => r.Spikes.Select(s => ((uint)i, s.Spike.Source, s.Tick)))];
        }

        var one = Run(1);
        Assert.NotEmpty(one);
        Assert.Equal(one, Run(2));
    }

    [Fact]
    public void Bad_input_gets_clear_errors_and_unroutable_spikes_are_counted()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons(), new EngineOptions { Threads = 1 });
        using var cortex = new Cortex(engine);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => cortex.AddNeuron(2, new Recorder()));
        Assert.Contains("neurons 0..1", e.Message);
        cortex.AddNeuron(0, new Recorder());
        cortex.AddNeuron(1, new Recorder());
        Assert.Contains("Engine.AddSynapse", Assert.Throws<InvalidOperationException>(() => cortex.Subscribe(0, 1)).Message);

        cortex.Inject(Spike.Create(source: 99, target: Spike.BroadcastTarget));
        cortex.Inject(Spike.Create(source: 0, target: 77));
        cortex.Step();

        var counters = cortex.Counters;
        Assert.Equal(1, counters.DroppedNoSubscribers);
        Assert.Equal(1, counters.DroppedUnknownTarget);
        Assert.True(counters.Balances);
    }

    private static void RunTicks(Cortex cortex, int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            cortex.Step();
        }
    }

    private sealed class FireOnStimulus(byte[] payload) : INeuronBehaviour
    {
        public byte[] Payload { get; set; } = payload;

        public uint FiredAt { get; private set; }

        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron)
        {
            FiredAt = neuron.Tick;
            Assert.True(neuron.Broadcast(Payload));
        }
    }

    private sealed class Recorder : INeuronBehaviour
    {
        public List<(Spike Spike, uint Tick, byte[] Payload)> Spikes { get; } = [];

        public int Crossings { get; private set; }

        public uint CrossedAt { get; private set; }

        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron) => Spikes.Add((spike, neuron.Tick, neuron.ReadPayload(spike).ToArray()));

        public void OnFire(NeuronHandle neuron)
        {
            Crossings++;
            CrossedAt = neuron.Tick;
        }
    }
}
