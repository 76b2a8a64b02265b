using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Agents;

[Trait("Tier", "Unit")]
public sealed class NeuronHandleTests : IDisposable
{
    private readonly Axon _axon = new(new AxonOptions { Capacity = 64, Overflow = OverflowPolicy.Block });
    private readonly AxonReader _reader;
    private readonly Arena _arena = Arena.CreateAnonymous(Arena.MinimumCapacity);
    private readonly ManualTickClock _clock = new(tick: 10);

    public NeuronHandleTests() => _reader = _axon.CreateReader();

    public void Dispose()
    {
        _axon.Dispose();
        _arena.Dispose();
    }

    [Fact]
    public void Fire_stamps_source_sequence_tick_timestamp_and_target()
    {
        var neuron = new NeuronHandle(7, _axon, _clock, _arena);
        Assert.True(neuron.Fire([1, 2, 3], SpikeType.Inhibitory, priority: 5));
        Assert.True(neuron.FireTo(42));
        _clock.Advance(3);
        Assert.True(neuron.Broadcast(type: SpikeType.Modulatory));

        var spikes = new Spike[3];
        Assert.Equal(3, _reader.Drain(spikes));
        Assert.All(spikes, s => Assert.Equal(7u, s.Source));
        Assert.Equal([0u, 1, 2], spikes.Select(s => s.Sequence));
        Assert.Equal([10u, 10, 13], spikes.Select(s => s.Tick));
        Assert.Equal([Spike.BroadcastTarget, 42u, Spike.BroadcastTarget], spikes.Select(s => s.Target));
        Assert.Equal([SpikeType.Inhibitory, SpikeType.Excitatory, SpikeType.Modulatory], spikes.Select(s => s.Type));
        Assert.Equal(5, spikes[0].Priority);
        Assert.Equal([1, 2, 3], spikes[0].InlinePayload.ToArray());
        Assert.True(spikes[0].Timestamp > 0);
        Assert.True(spikes[0].Timestamp <= spikes[1].Timestamp && spikes[1].Timestamp <= spikes[2].Timestamp);
        Assert.Equal(3u, neuron.NextSequence);
        Assert.Equal(new NeuronCounters(3, 0, 0, 0, 0, 0, 0), neuron.Counters);
    }

    [Fact]
    public void A_neuron_asked_to_fire_every_tick_with_refractory_3_fires_every_4th_tick()
    {
        var neuron = new NeuronHandle(1, _axon, _clock, refractoryTicks: 3);
        var fired = new List<uint>();
        for (var i = 0; i < 20; i++)
        {
            if (neuron.Fire())
            {
                fired.Add(_clock.Tick);
            }
            else
            {
                Assert.Equal(FireRefusal.Refractory, neuron.LastRefusal);
                Assert.True(neuron.IsRefractory);
            }

            _clock.Advance();
        }

        Assert.Equal([10u, 14, 18, 22, 26], fired);
        Assert.Equal(5, neuron.Counters.Fired);
        Assert.Equal(15, neuron.Counters.RefusedRefractory);
        Assert.Equal(20, neuron.Counters.Attempts);
        Assert.Equal(5, _reader.Counters.Published);

        // Sequence numbers count published spikes only, so they stay gap-free.
        var spikes = new Spike[5];
        _reader.Drain(spikes);
        Assert.Equal([0u, 1, 2, 3, 4], spikes.Select(s => s.Sequence));
    }

    [Fact]
    public void Several_spikes_may_leave_within_the_firing_tick()
    {
        var neuron = new NeuronHandle(1, _axon, _clock, refractoryTicks: 2);
        Assert.True(neuron.FireTo(2));
        Assert.True(neuron.FireTo(3));
        _clock.Advance();
        Assert.False(neuron.FireTo(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => neuron.RefractoryTicks = -1);
    }

    [Fact]
    public void Large_payloads_go_to_the_arena_and_small_ones_inline_byte_exact()
    {
        var neuron = new NeuronHandle(1, _axon, _clock, _arena);
        var small = Enumerable.Range(0, Spike.InlinePayloadCapacity).Select(i => (byte)(i * 3)).ToArray();
        var large = Enumerable.Range(0, Spike.InlinePayloadCapacity + 1).Select(i => (byte)(255 - i)).ToArray();
        Assert.True(neuron.Fire(small));
        Assert.True(neuron.Fire(large));

        Assert.True(_reader.TryRead(out var first));
        Assert.True(_reader.TryRead(out var second));
        Assert.False(first.HasArenaPayload);
        Assert.True(second.HasArenaPayload);
        Assert.Equal(small, neuron.ReadPayload(in first).ToArray());
        Assert.Equal(large, neuron.ReadPayload(in second).ToArray());
        Assert.Equal(1, _arena.LiveBlocks);
    }

    [Fact]
    public void A_large_payload_without_an_arena_is_a_clear_error_and_a_full_arena_is_a_counted_refusal()
    {
        var bare = new NeuronHandle(1, _axon, _clock);
        Assert.Contains("no arena", Assert.Throws<InvalidOperationException>(() => bare.Fire(new byte[100])).Message);

        var neuron = new NeuronHandle(2, _axon, _clock, _arena);
        var refused = 0;
        for (var i = 0; i < 100 && refused == 0; i++)
        {
            refused += neuron.Fire(new byte[1000]) ? 0 : 1;
        }

        Assert.Equal(1, refused);
        Assert.Equal(FireRefusal.ArenaFull, neuron.LastRefusal);
        Assert.Equal(1, neuron.Counters.RefusedArenaFull);
        Assert.Equal(neuron.Counters.Fired, _reader.Counters.Published);
    }

    [Fact]
    public void A_full_axon_refuses_and_counts_without_blocking()
    {
        using var axon = new Axon(new AxonOptions { Capacity = 4, Overflow = OverflowPolicy.Block, PublishTimeout = TimeSpan.FromMinutes(1) });
        using var reader = axon.CreateReader();
        var neuron = new NeuronHandle(1, axon, _clock, _arena);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(neuron.Fire());
        }

        Assert.False(neuron.Fire(new byte[200]));
        Assert.Equal(FireRefusal.AxonFull, neuron.LastRefusal);
        Assert.Equal(new NeuronCounters(4, 0, 1, 0, 0, 0, 0), neuron.Counters);
        Assert.Equal(0, _arena.LiveBlocks);
        Assert.Equal(4u, neuron.NextSequence);
    }

    [Fact]
    public void Bad_arguments_are_clear_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeuronHandle(Spike.BroadcastTarget, _axon, _clock));
        var neuron = new NeuronHandle(1, _axon, _clock);
        Assert.Contains("Broadcast", Assert.Throws<ArgumentOutOfRangeException>(() => neuron.FireTo(Spike.BroadcastTarget)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => neuron.Fire(type: (SpikeType)9));
    }

    [Fact]
    public void The_reader_taps_the_neurons_own_axon()
    {
        var neuron = new NeuronHandle(3, _axon, _clock);
        using var tap = neuron.CreateReader();
        neuron.FireTo(9, [4]);
        Assert.True(tap.TryRead(out var spike));
        Assert.Equal(3u, spike.Source);
        Assert.Equal(9u, spike.Target);
    }
}
