using NeuroMesh.Engine;
using NeuroMesh.Engine.Cpu;
using NeuroMesh.Network;
using NeuroMesh.Spikes;
using NeuroMesh.Synapses;

namespace NeuroMesh.Tests.Engine;

[Trait("Tier", "Unit")]
public class FilterTests
{
    [Fact]
    public void Each_filter_kind_accepts_exactly_the_spikes_it_describes()
    {
        var spike = Spike.Create(1, 2, SpikeType.Inhibitory, priority: 4);
        spike.SetInlinePayload([0xCA, 0xFE, 0x01]);

        Assert.True(new TypeFilter(SpikeType.Inhibitory).Accepts(spike));
        Assert.False(new TypeFilter(SpikeType.Excitatory).Accepts(spike));
        Assert.True(new PriorityThresholdFilter(4).Accepts(spike));
        Assert.False(new PriorityThresholdFilter(5).Accepts(spike));
        Assert.True(new PayloadPrefixFilter([0xCA, 0xFE]).Accepts(spike));
        Assert.False(new PayloadPrefixFilter([0xCA, 0xFF]).Accepts(spike));
        Assert.False(new PayloadPrefixFilter([0xCA, 0xFE, 0x01, 0x00]).Accepts(spike));

        var arena = spike;
        arena.SetArenaRef(new ArenaRef(64, 100, 1));
        Assert.False(new PayloadPrefixFilter([0x40]).Accepts(arena));

        var registry = new DendriticFilterRegistry();
        registry.Register("even-source", (in Spike s) => s.Source % 2 == 0);
        Assert.False(registry.Resolve("even-source").Accepts(spike));
        Assert.True(registry.Resolve("even-source").Accepts(Spike.Create(4, 2)));
        Assert.Throws<KeyNotFoundException>(() => registry.Resolve("missing"));
        Assert.Throws<ArgumentException>(() => new PayloadPrefixFilter(new byte[37]));
    }

    [Fact]
    public void Filters_are_built_from_their_spec()
    {
        var registry = new DendriticFilterRegistry();
        registry.Register("any", (in Spike _) => true);
        Assert.Equal(SpikeType.Modulatory, Assert.IsType<TypeFilter>(DendriticFilter.FromSpec(new FilterSpec { Kind = "type", Type = "modulatory" }, registry)).Type);
        Assert.Equal(9, Assert.IsType<PriorityThresholdFilter>(DendriticFilter.FromSpec(new FilterSpec { Kind = "priority_threshold", MinPriority = 9 }, registry)).MinPriority);
        Assert.Equal([0xAB], Assert.IsType<PayloadPrefixFilter>(DendriticFilter.FromSpec(new FilterSpec { Kind = "payload_prefix", Prefix = "ab" }, registry)).Prefix.ToArray());
        Assert.Equal("any", Assert.IsType<CustomFilter>(DendriticFilter.FromSpec(new FilterSpec { Kind = "custom", Name = "any" }, registry)).Name);
    }

    [Fact]
    public void A_filtered_synapse_passes_only_the_spikes_its_filter_accepts_and_counts_the_rest()
    {
        var spec = Specs.TwoNeurons(projection: Specs.AToB(50, filter: new FilterSpec { Kind = "priority_threshold", MinPriority = 5 }));
        using var engine = new CpuEngine(spec);

        engine.Deliver(Spike.Create(0, 1, priority: 3));
        engine.Run(3);
        Assert.Equal(0f, engine.ReadState("v")[1]);
        Assert.Equal(1, engine.Counters.FilteredSpikes);

        engine.ForceSpike(0); // internal spikes carry priority 0: filtered too
        Assert.DoesNotContain(engine.Run(3).Spikes, s => s.Neuron == 1);
        Assert.Equal(2, engine.Counters.FilteredSpikes);

        engine.Deliver(Spike.Create(0, 1, priority: 7));
        Assert.Equal([new SpikeRecord(engine.CurrentTick + 1, 1)], engine.Run(3).Spikes);

        engine.Deliver(Spike.Create(77, 1, priority: 9)); // unknown source: dropped and counted, never thrown
        Assert.Equal(1, engine.Counters.DroppedDeliveries);
    }

    [Fact]
    public void A_custom_filter_must_be_registered_before_the_engine_is_built()
    {
        var spec = Specs.TwoNeurons(projection: Specs.AToB(50, filter: new FilterSpec { Kind = "custom", Name = "payload-42" }));
        var registry = new DendriticFilterRegistry();
        var error = Assert.Throws<NeuroMesh.Network.NetworkSpecException>(() => new CpuEngine(spec, new EngineOptions { Filters = registry }));
        var problem = Assert.Single(error.Errors);
        Assert.Equal("$.projections[0].filter.name", problem.Path);
        Assert.Contains("'payload-42'", problem.Message, StringComparison.Ordinal);

        registry.Register("payload-42", (in Spike s) => s.PayloadLength > 0 && s.Payload[0] == 42);
        using var engine = new CpuEngine(spec, new EngineOptions { Filters = registry });
        var spike = Spike.Create(0, 1);
        spike.SetInlinePayload([42]);
        engine.Deliver(spike);
        Assert.Single(engine.Run(3).Spikes);
    }
}
