using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class ConnectivityTests
{
    private static NetworkSpec Net(ConnectionRuleSpec rule, int sourceSize = 40, int targetSize = 30, bool same = false) => new()
    {
        Dt = 0.1, Duration = 1,
        Populations =
        [
            new PopulationSpec { Name = "S", Size = sourceSize, Model = NeuronModels.LifDelta, Params = Specs.Quiet() },
            new PopulationSpec { Name = "T", Size = targetSize, Model = NeuronModels.LifDelta, Params = Specs.Quiet() },
        ],
        Projections = [new ProjectionSpec { Name = "p", Source = "S", Target = same ? "S" : "T", Rule = rule, Weight = DistributionSpec.Constant(0.1) }],
    };

    [Fact]
    public void Each_rule_creates_the_synapses_it_describes()
    {
        using (var e = new CpuEngine(Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.AllToAll })))
        {
            Assert.Equal(40 * 30, e.SynapseCount);
        }

        using (var e = new CpuEngine(Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.FixedInDegree, N = 7 })))
        {
            Assert.Equal(30 * 7, e.SynapseCount);
        }

        using (var e = new CpuEngine(Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.FixedOutDegree, N = 5 })))
        {
            Assert.Equal(40 * 5, e.SynapseCount);
        }

        using (var e = new CpuEngine(Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.OneToOne }, 30, 30)))
        {
            Assert.Equal(30, e.SynapseCount);
            Assert.True(e.TryGetWeight(29, 30 + 29, out _));
            Assert.False(e.TryGetWeight(29, 30 + 28, out _));
        }

        using (var e = new CpuEngine(Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.Explicit, Pairs = [[0, 0], [3, 2], [39, 29]] })))
        {
            Assert.Equal(3, e.SynapseCount);
            Assert.True(e.TryGetWeight(3, 40 + 2, out var w));
            Assert.Equal(0.1, w, 5);
        }
    }

    [Fact]
    public void Fixed_probability_connects_about_p_of_the_pairs_and_self_connections_can_be_excluded()
    {
        using var e = new CpuEngine(Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.FixedProbability, P = 0.1, AllowSelf = false }, 400, 0, same: true));
        var expected = 400 * 400 * 0.1;
        Assert.InRange(e.SynapseCount, expected - (5 * Math.Sqrt(expected)), expected + (5 * Math.Sqrt(expected)));
        for (var i = 0; i < 400; i++)
        {
            Assert.False(e.TryGetWeight(i, i, out _));
        }
    }

    [Fact]
    public void Sparse_storage_stays_within_10_bytes_per_synapse()
    {
        using var plain = new CpuEngine(NetworkSpec.Load(Path.Combine(Network.NetworkSpecValidationTests.ExamplesDirectory(), "cuba.json")));
        Assert.Equal(8, plain.SparseBytesPerSynapse);
        var filtered = Net(new ConnectionRuleSpec { Kind = ConnectionRuleKinds.AllToAll });
        filtered = filtered with { Projections = [filtered.Projections[0] with { Filter = new FilterSpec { Kind = "priority_threshold", MinPriority = 1 } }] };
        using var f = new CpuEngine(filtered);
        Assert.Equal(10, f.SparseBytesPerSynapse);
    }

    [Fact]
    public void Spike_monitors_return_the_spikes_of_their_neurons()
    {
        var spec = Specs.TwoNeurons() with
        {
            Monitors = [new MonitorSpec { Name = "b", Kind = MonitorKinds.Spikes, Population = "B" }],
        };
        using var engine = new CpuEngine(spec);
        engine.ForceSpike(0);
        engine.ForceSpike(1);
        var result = engine.Run(2);
        Assert.Equal(2, result.Spikes.Length);
        Assert.Equal([new SpikeRecord(0, 1)], result.MonitoredSpikes["b"]);
    }
}
