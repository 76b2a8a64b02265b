using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class PlasticityTests
{
    private static readonly PlasticitySpec Stdp = new() { Kind = PlasticityKinds.Stdp, WMin = 0, WMax = 1 };

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(200)]
    public void Pre_before_post_potentiates_by_a_plus_times_the_pre_trace(int gapTicks)
    {
        var w = PairedWeight(Stdp, preFirst: true, gapTicks);
        Assert.Equal(0.5 + (0.01 * Math.Exp(-gapTicks * 0.1 / 20)), w, 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(200)]
    public void Post_before_pre_depresses_by_a_minus_times_the_post_trace(int gapTicks)
    {
        var w = PairedWeight(Stdp, preFirst: false, gapTicks);
        Assert.Equal(0.5 - (0.012 * Math.Exp(-gapTicks * 0.1 / 20)), w, 6);
    }

    [Fact]
    public void Weights_are_clipped_at_the_bounds_and_every_clip_is_counted()
    {
        var spec = Specs.TwoNeurons(projection: Specs.AToB(0.995, plasticity: Stdp));
        using var engine = new CpuEngine(spec);
        for (var i = 0; i < 3; i++)
        {
            engine.ForceSpike(0);
            engine.ForceSpike(1);
            engine.Run(30);
        }

        Assert.True(engine.TryGetWeight(0, 1, out var w));
        Assert.Equal(1.0, w, 6);
        Assert.Equal(3, engine.Counters.ClippedWeights);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    public void Reward_turns_the_decaying_eligibility_trace_into_weight_change(int waitTicks)
    {
        var rstdp = new PlasticitySpec { Kind = PlasticityKinds.RStdp, WMin = 0, WMax = 1, TauEligibility = 100, LearningRate = 1 };
        var spec = Specs.TwoNeurons(projection: Specs.AToB(0.5, plasticity: rstdp));
        using var engine = new CpuEngine(spec);
        engine.ForceSpike(0);
        engine.Run(10);
        engine.ForceSpike(1);
        engine.Run(waitTicks); // post at tick 10; now at tick 10 + waitTicks
        Assert.True(engine.TryGetWeight(0, 1, out var before));
        Assert.Equal(0.5, before, 6); // no reward yet: only the eligibility trace changed

        engine.Inject(1, 2.0, SpikeType.Modulatory);
        engine.Step();
        engine.TryGetWeight(0, 1, out var after);
        var eligibility = 0.01 * Math.Exp(-10 * 0.1 / 20);
        Assert.Equal(2.0 * eligibility * Math.Exp(-waitTicks * 0.1 / 100), after - before, 6);
    }

    private static double PairedWeight(PlasticitySpec rule, bool preFirst, int gapTicks)
    {
        // Weight 0.5 is far below the threshold of 10: only forced spikes happen.
        var spec = Specs.TwoNeurons(projection: Specs.AToB(0.5, plasticity: rule));
        using var engine = new CpuEngine(spec);
        engine.ForceSpike(preFirst ? 0 : 1);
        var spikes = gapTicks > 0 ? engine.Run(gapTicks).Spikes.Length : 0;
        engine.ForceSpike(preFirst ? 1 : 0);
        spikes += engine.Run(5).Spikes.Length;
        Assert.Equal(2, spikes);
        Assert.True(engine.TryGetWeight(0, 1, out var w));
        return w;
    }
}
