using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class RuntimeEditTests
{
    [Fact]
    public void A_synapse_added_while_running_carries_spikes_and_stops_once_pruned()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons());
        engine.Run(10);
        Assert.Equal(0, engine.SynapseCount);

        engine.AddSynapse(new SynapseDefinition(0, 1, 50, DelayTicks: 3));
        Assert.Equal(1, engine.SynapseCount);
        Assert.True(engine.TryGetWeight(0, 1, out var w));
        Assert.Equal(50, w, 4);
        engine.ForceSpike(0);
        var start = engine.CurrentTick;
        Assert.Equal([new SpikeRecord(start, 0), new SpikeRecord(start + 4, 1)], engine.Run(30).Spikes);

        Assert.Equal(1, engine.PruneSynapses(0, 1));
        Assert.Equal(0, engine.SynapseCount);
        Assert.False(engine.TryGetWeight(0, 1, out _));
        engine.ForceSpike(0);
        Assert.Equal([new SpikeRecord(engine.CurrentTick, 0)], engine.Run(30).Spikes);
    }

    [Fact]
    public void Pruning_a_synapse_from_the_spec_silences_it_and_later_additions_keep_working()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons(projection: Specs.AToB(50)));
        Assert.Equal(1, engine.SynapseCount);
        Assert.Equal(1, engine.PruneSynapses(0, 1));
        Assert.Equal(0, engine.PruneSynapses(0, 1));
        engine.ForceSpike(0);
        Assert.Single(engine.Run(30).Spikes); // B stays silent; 30 ticks also outlast A's refractory period

        engine.AddSynapse(new SynapseDefinition(1, 0, 50));
        engine.ForceSpike(1);
        var t = engine.CurrentTick;
        Assert.Equal([new SpikeRecord(t, 1), new SpikeRecord(t + 1, 0)], engine.Run(10).Spikes);
        Assert.Equal(1, engine.SynapseCount);
    }

    [Fact]
    public void Bad_edits_and_injections_get_clear_errors()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons(), new EngineOptions { MaxDelayTicks = 4 });
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.AddSynapse(new SynapseDefinition(0, 9, 1)));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => engine.AddSynapse(new SynapseDefinition(0, 1, 1, DelayTicks: 5)));
        Assert.Contains("MaxDelayTicks", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Inject(0, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Inject(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.ForceSpike(2));
        Assert.Throws<ArgumentException>(() => engine.ReadState("w"));
        Assert.Throws<NetworkSpecException>(() => new CpuEngine(Specs.TwoNeurons() with { Dt = 0 }));
    }

    [Fact]
    public void Huge_injections_saturate_the_accumulator_and_are_counted()
    {
        using var engine = new CpuEngine(Specs.TwoNeurons());
        engine.Inject(1, 1e30, SpikeType.Inhibitory);
        Assert.Equal(1, engine.Counters.SaturatedInputs);
    }
}
