using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Gateway;

/// <summary>The engine's weight sample behind <c>/api/runs/{id}/weights</c>: an even stride over every eligible synapse.</summary>
[Trait("Tier", "Unit")]
public sealed class WeightSampleTests
{
    [Fact]
    public void A_sample_is_the_eligible_synapses_at_an_even_stride()
    {
        var spec = NetworkSpec.Load(Path.Combine(Engine.ExamplesDirectory.Root(), "examples", "delta_delays.json"));
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });

        // Asking for more than there are gives every synapse once: 800*80 + 200*80 + 800*20 + 200*20.
        var all = engine.SampleWeights(int.MaxValue);
        Assert.Equal(100_000, all.Eligible);
        Assert.False(all.Plastic);
        Assert.Equal(all.Eligible, all.Weights.Length);
        Assert.Equal([-1.0, 0.2], all.Weights.Select(w => Math.Round(w, 3)).Distinct().Order());

        // A smaller sample takes the synapse at floor(k * eligible / take) for k = 0 .. take-1, across segment boundaries.
        foreach (var take in new[] { 1, 7, 333, 10_000, 99_999 })
        {
            var sample = engine.SampleWeights(take);
            Assert.Equal(all.Eligible, sample.Eligible);
            Assert.Equal(Enumerable.Range(0, take).Select(k => all.Weights[(int)((long)k * all.Eligible / take)]), sample.Weights);
        }
    }
}
