using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class DelayAndInputTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.1, 1)]
    [InlineData(2.5, 25)]
    public void A_spike_arrives_exactly_delay_ticks_later(double delayMs, int delayTicks)
    {
        // A fires at tick 7 (a spike-time input); its input reaches B at the end of tick 7 + delay, and B fires in the next update.
        var spec = Specs.TwoNeurons(projection: Specs.AToB(50, delayMs)) with
        {
            Stimuli = [new StimulusSpec { Name = "kick", Kind = StimulusKinds.SpikeTimes, Target = "A", Weight = 50, Spikes = [new SpikeTimeSpec { Neuron = 0, Time = 0.7 }] }],
        };
        using var engine = new CpuEngine(spec);
        var result = engine.Run(100);
        Assert.Equal([new(7, 0), new(7 + delayTicks + 1, 1)], result.Spikes);
    }

    [Fact]
    public void Injected_input_with_a_delay_acts_that_many_ticks_later()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons());
        engine.Inject(1, 50, delayTicks: 5);
        var fired = new List<long>();
        for (var t = 0; t < 10; t++)
        {
            if (engine.Step().Contains(1))
            {
                fired.Add(t);
            }
        }

        Assert.Equal([5], fired);
    }

    [Fact]
    public void A_poisson_input_fires_at_the_requested_rate()
    {
        var p = Specs.Quiet() with { VThreshold = 0.5, Refractory = 0 };
        var spec = new NetworkSpec
        {
            Dt = 0.1, Duration = 1000, Seed = 11,
            Populations = [new PopulationSpec { Name = "N", Size = 200, Model = NeuronModels.LifDelta, Params = p }],
            Stimuli = [new StimulusSpec { Name = "drive", Kind = StimulusKinds.Poisson, Target = "N", Rate = 50, Weight = 1 }],
        };
        using var engine = new CpuEngine(spec);
        var rate = engine.Run().MeanRateHz();
        Assert.InRange(rate, 47, 53); // 10,000 expected events; 3 sigma is about 1.5 Hz
    }

    [Fact]
    public void Dense_storage_gives_the_same_spike_train_as_sparse()
    {
        var sparse = NetworkSpec.Load(Path.Combine(Network.NetworkSpecValidationTests.ExamplesDirectory(), "delta_delays.json"));
        sparse = sparse with
        {
            Duration = 100,
            Projections = [.. sparse.Projections, new ProjectionSpec
            {
                Name = "I_dense", Source = "I", Target = "I", Rule = new ConnectionRuleSpec { Kind = ConnectionRuleKinds.FixedProbability, P = 0.3 },
                Channel = SynapseChannels.Inhibitory, Weight = DistributionSpec.Uniform(-0.5, -0.1), Delay = DistributionSpec.Constant(1.0),
            }],
        };
        var dense = sparse with { Projections = [.. sparse.Projections[..^1], sparse.Projections[^1] with { Storage = SynapseStorageKinds.Dense }] };
        using var a = new CpuEngine(sparse);
        using var b = new CpuEngine(dense);
        var ra = a.Run();
        var rb = b.Run();
        Assert.NotEmpty(ra.Spikes);
        Assert.Equal(a.SynapseCount, b.SynapseCount);
        Assert.Equal(ra.SpikeTrainHash, rb.SpikeTrainHash);
    }
}
