using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class LifDynamicsTests
{
    [Theory]
    [InlineData(NeuronModels.LifCuba)]
    [InlineData(NeuronModels.LifDelta)]
    [InlineData(NeuronModels.LifCoba)]
    public void Without_input_the_potential_follows_the_closed_form_decay(string model)
    {
        var p = new NeuronParamsSpec { TauM = 20, VRest = -70, VThreshold = -50, VReset = -70, VInit = DistributionSpec.Constant(-55) };
        var spec = new NetworkSpec
        {
            Dt = 0.1, Duration = 50,
            Populations = [new PopulationSpec { Name = "N", Size = 3, Model = model, Params = p }],
            Monitors = [new MonitorSpec { Name = "v", Kind = MonitorKinds.State, Population = "N", Variable = "v", Neurons = [1] }],
        };
        using var engine = new CpuEngine(spec);
        var trace = engine.Run(500).Traces.Single();
        Assert.Equal(500, trace.Samples);
        for (var s = 0; s < trace.Samples; s++)
        {
            // The sample of tick s is taken after its update: (s + 1) steps of dt.
            var expected = -70 + (15 * Math.Exp(-(s + 1) * 0.1 / 20));
            Assert.Equal(expected, trace.At(s, 0), 2e-4); // float state: about 1e-5 mV of rounding over 500 steps
        }
    }

    [Fact]
    public void Cuba_current_input_matches_the_exact_two_exponential_solution()
    {
        var p = new NeuronParamsSpec { TauM = 20, TauE = 5, VRest = 0, VThreshold = 100, VReset = 0, VInit = DistributionSpec.Constant(0) };
        var spec = new NetworkSpec { Dt = 0.1, Duration = 10, Populations = [new PopulationSpec { Name = "N", Size = 1, Model = NeuronModels.LifCuba, Params = p }] };
        using var engine = new CpuEngine(spec);
        engine.Inject(0, 2.0); // ge jumps by 2 mV before tick 0 is integrated
        engine.Run(30);
        var t = 3.0; // ms
        var expected = 2.0 * 5 / (5 - 20) * (Math.Exp(-t / 5) - Math.Exp(-t / 20));
        Assert.Equal(expected, engine.ReadState("v")[0], 4);
        Assert.Equal(2.0 * Math.Exp(-t / 5), engine.ReadState("ge")[0], 4);
    }

    [Fact]
    public void A_neuron_cannot_fire_again_within_its_refractory_period()
    {
        var spec = Specs.TwoNeurons(); // refractory 2 ms = 20 ticks
        using var engine = new CpuEngine(spec);
        var fired = new List<long>();
        for (var t = 0; t < 100; t++)
        {
            engine.Inject(0, 50); // far above threshold every tick
            if (engine.Step().Contains(0))
            {
                fired.Add(t);
            }
        }

        Assert.Equal([0, 20, 40, 60, 80], fired);
    }

    [Fact]
    public void Refractory_neurons_hold_their_reset_potential_and_ignore_delta_input()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons());
        engine.ForceSpike(0);
        Assert.Equal([0], engine.Step().ToArray());
        for (var t = 1; t < 20; t++)
        {
            engine.Inject(0, 5);
            engine.Step();
            Assert.Equal(0f, engine.ReadState("v")[0]);
        }

        engine.Inject(0, 5);
        engine.Step();
        Assert.True(engine.ReadState("v")[0] > 4.5f);
    }

    [Fact]
    public void Conductance_input_pulls_the_potential_towards_the_reversal_potential_and_never_past_it()
    {
        var p = new NeuronParamsSpec { TauM = 20, VRest = -60, VThreshold = 100, VReset = -60, EE = 0, EI = -80, VInit = DistributionSpec.Constant(-60) };
        var spec = new NetworkSpec { Dt = 0.1, Duration = 10, Populations = [new PopulationSpec { Name = "N", Size = 1, Model = NeuronModels.LifCoba, Params = p }] };
        using var engine = new CpuEngine(spec);
        var last = -60f;
        for (var t = 0; t < 50; t++)
        {
            engine.Inject(0, 5.0);
            engine.Step();
            var v = engine.ReadState("v")[0];
            Assert.True(v > last && v < 0, $"tick {t}: v = {v}");
            last = v;
        }

        engine.Inject(0, 5.0, SpikeType.Inhibitory);
        engine.Run(100);
        Assert.True(engine.ReadState("v")[0] < last);
    }
}
