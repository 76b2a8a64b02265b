using NeuroMesh.Simulation;
using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

/// <summary>STDP weight changes as sparse per-epoch diffs: exact, canonical across shard and thread counts, and only what moved.</summary>
[Trait("Tier", "Unit")]
public class WeightDiffTests
{
    private static NetworkSpec Plastic()
    {
        var spec = ExamplesDirectory.Spec("delta_delays.json") with { Duration = 200 };
        var stdp = new PlasticitySpec { Kind = PlasticityKinds.Stdp, APlus = 0.02, AMinus = 0.024, TauPlus = 15, TauMinus = 20, WMin = 0, WMax = 0.4 };
        return spec with { Projections = [.. spec.Projections.Select(p => p.Name != "E_all_E" ? p : p with { Plasticity = stdp })] };
    }

    [Fact]
    public void Per_epoch_diffs_are_the_same_on_one_engine_and_on_three_shards_and_replay_to_the_final_weights()
    {
        var spec = Plastic();
        using var single = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        using var sharded = new ShardRunner(spec, 3, threads: 2);
        var epochs = new List<PlasticWeightDiff>();
        for (var epoch = 0; epoch < 4; epoch++)
        {
            single.Run(500);
            sharded.Run(500);
            var expected = single.DiffPlasticWeights();
            var actual = PlasticWeightDiff.Concat([.. sharded.Engines.Select(e => e.DiffPlasticWeights())], expected.FixedShift);
            Assert.Equal(expected.Digest(), actual.Digest());
            Assert.Equal(expected.Targets, actual.Targets);
            Assert.Equal(expected.Weights, actual.Weights);
            Assert.True(expected.Count > 50, $"STDP should move weights in epoch {epoch} ({expected.Count} changed)");
            epochs.Add(expected);
        }

        // Sparse: only synapses that moved, once each per epoch, in (target, slot) order.
        var plastic = CountPlastic(spec);
        Assert.All(epochs, d =>
        {
            Assert.InRange(d.Count, 1, plastic);
            var keys = d.Targets.Zip(d.Slots).ToArray();
            Assert.Equal(keys.OrderBy(k => k.First).ThenBy(k => k.Second), keys);
        });

        // The last diff that names a synapse carries its final weight.
        var last = new Dictionary<(int Source, int Target), double>();
        foreach (var d in epochs)
        {
            for (var i = 0; i < d.Count; i++)
            {
                last[(d.Sources[i], d.Targets[i])] = d.Weight(i);
            }
        }

        Assert.All(last.Take(500), kv =>
        {
            Assert.True(single.TryGetWeight(kv.Key.Source, kv.Key.Target, out var weight));
            Assert.Equal(weight, kv.Value, 9);
        });

        // Nothing ran since the last diff: the next one is empty.
        Assert.Equal(0, single.DiffPlasticWeights().Count);
    }

    [Fact]
    public void A_network_without_plasticity_has_empty_diffs()
    {
        var spec = ExamplesDirectory.Spec("cuba.json") with { Duration = 20 };
        using var engine = new CpuEngine(spec, new EngineOptions { Threads = 1 });
        engine.Run(spec.TotalTicks);
        Assert.Equal(0, engine.DiffPlasticWeights().Count);
    }

    private static int CountPlastic(NetworkSpec spec)
    {
        using var engine = new CpuEngine(spec with { Projections = [.. spec.Projections.Where(p => p.Plasticity is not null)] }, new EngineOptions { Threads = 1 });
        return (int)engine.SynapseCount;
    }
}
