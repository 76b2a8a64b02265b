using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Regions;
using NeuroMesh.Spikes;
using NeuroMesh.Tests.Agents;

namespace NeuroMesh.Tests.Fabric;

[Trait("Tier", "Unit")]
public sealed class CortexTests : IDisposable
{
    private readonly Cortex _mesh = new(new CortexOptions { MaxNeurons = 8, RingCapacity = 64 });
    private readonly List<Delivery> _log = [];

    public void Dispose() => _mesh.Dispose();

    [Fact]
    public void Ping_pong_runs_to_its_limit_with_exact_accounting()
    {
        _mesh.AddNeuron(1, new PingPong(_log, partner: 2, rounds: 9));
        _mesh.AddNeuron(2, new PingPong(_log, partner: 1, rounds: 9));
        _mesh.Stimulate(1);

        Assert.Equal(11, _mesh.RunUntilIdle());
        Assert.Equal(10, _log.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), _log.Select(d => d.Payload[0]));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 2u : 1u), _log.Select(d => d.Receiver));
        Assert.All(_log, d => Assert.Equal(d.Tick + 1, d.DeliveredAt));
        Assert.Equal([0u, 1, 2, 3, 4], _log.Where(d => d.Source == 1).Select(d => d.Sequence));

        var counters = _mesh.Counters;
        Assert.True(counters.Balances, counters.ToString());
        Assert.Equal(10, counters.Fired);
        Assert.Equal(10, counters.Delivered);
        Assert.Equal(10, counters.Deliveries);
        Assert.Equal(0, counters.Dropped);
        Assert.Equal(0, counters.InFlight);
        Assert.Equal(10, counters.Wakes);
        Assert.Equal(10, _mesh.Collected);
    }

    [Fact]
    public void Fan_out_sensor_to_three_classifiers_to_an_actuator_wakes_each_receiver_once_per_pass()
    {
        var readings = new[] { new byte[] { 10 }, new byte[] { 20, 21 }, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray() };
        _mesh.AddNeuron(1, new Sensor(readings));
        var actuator = _mesh.AddNeuron(9, new Recorder(_log, "act"));
        foreach (var id in new uint[] { 3, 4, 5 })
        {
            _mesh.AddNeuron(id, new Classifier(_log));
            _mesh.Subscribe(1, id);
            _mesh.Subscribe(id, 9);
        }

        _mesh.Stimulate(1);
        Assert.Equal(3, _mesh.RunUntilIdle());

        var atClassifiers = _log.Where(d => d.Receiver != 9).ToList();
        Assert.Equal(9, atClassifiers.Count);
        Assert.All(atClassifiers, d => Assert.Equal(readings[(int)d.Sequence], d.Payload));
        Assert.Equal([false, false, true], atClassifiers.Where(d => d.Receiver == 3).Select(d => d.Arena));

        var atActuator = _log.Where(d => d.Receiver == 9).ToList();
        Assert.Equal(9, atActuator.Count);
        Assert.Equal(
            new uint[] { 3, 4, 5 }.SelectMany(c => readings.Select(r => $"{c}:{r[0]}:{r.Length}")),
            atActuator.Select(d => $"{d.Payload[0]}:{d.Payload[1]}:{d.Payload[2]}"));
        Assert.Equal(new NeuronCounters(0, 0, 0, 0, 9, 1, 0), actuator.Counters);

        var counters = _mesh.Counters;
        Assert.True(counters.Balances, counters.ToString());
        Assert.Equal(3 + 9, counters.Fired);
        Assert.Equal(12, counters.Delivered);
        Assert.Equal(9 + 9, counters.Deliveries);
        Assert.Equal(4, counters.Wakes);
        Assert.Equal(0, _mesh.Fabric.Payloads.LiveBlocks);
    }

    [Fact]
    public void Spikes_to_removed_or_unknown_neurons_are_dropped_and_counted_never_thrown()
    {
        var a = _mesh.AddNeuron(1, new Recorder(_log));
        _mesh.AddNeuron(2, new Recorder(_log));
        Assert.True(a.FireTo(2, [1]));
        _mesh.Step();
        Assert.Single(_log);

        _mesh.RemoveNeuron(2);
        Assert.True(a.FireTo(2, [2]));
        Assert.True(a.FireTo(77, [3]));
        Assert.True(a.Fire([4]));
        Assert.True(a.Fire(new byte[500]));
        _mesh.Step();
        Assert.Single(_log);

        var c = _mesh.AddNeuron(3, new Recorder(_log));
        Assert.True(c.FireTo(1));
        Assert.True(c.Fire());
        _mesh.RemoveNeuron(3);

        var counters = _mesh.Counters;
        Assert.True(counters.Balances, counters.ToString());
        Assert.Equal(7, counters.Fired);
        Assert.Equal(1, counters.Delivered);
        Assert.Equal(1, counters.DroppedTargetRemoved);
        Assert.Equal(1, counters.DroppedUnknownTarget);
        Assert.Equal(2, counters.DroppedNoSubscribers);
        Assert.Equal(2, counters.DroppedSourceRemoved);
        Assert.Equal(0, _mesh.Fabric.Payloads.LiveBlocks);
        Assert.Throws<ObjectDisposedException>(() => c.Fire());
        Assert.Contains("was removed", Assert.Throws<KeyNotFoundException>(() => _mesh.RemoveNeuron(3)).Message);
    }

    [Fact]
    public void A_throwing_behaviour_is_isolated_and_reported()
    {
        var sensor = _mesh.AddNeuron(1, new Recorder(_log));
        _mesh.AddNeuron(2, new Thrower());
        _mesh.AddNeuron(3, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        _mesh.Subscribe(1, 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(sensor.Fire([(byte)i]));
        }

        _mesh.Stimulate(2);
        _mesh.RunUntilIdle();

        Assert.Equal(3, _log.Count(d => d.Receiver == 3));
        var faults = _mesh.RecentFaults;
        Assert.Equal(4, faults.Count);
        Assert.All(faults, f => Assert.Equal(2u, f.NeuronId));
        Assert.Equal(["OnSpike", "OnSpike", "OnSpike", "OnFire"], faults.Select(f => f.Callback));
        Assert.IsType<InvalidDataException>(faults[0].Exception);
        Assert.Equal(4, _mesh.GetNeuron(2).Counters.Faults);
        Assert.Equal(3, _mesh.GetNeuron(2).Counters.Received);
        Assert.True(_mesh.Counters.Balances);
        Assert.Equal(4, _mesh.Counters.Faults);
    }

    [Fact]
    public void Refractory_backpressure_in_the_mesh_fires_every_4th_tick()
    {
        var metronome = new Metronome();
        _mesh.AddNeuron(1, metronome, refractoryTicks: 3);
        _mesh.AddNeuron(2, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        for (var i = 0; i < 12; i++)
        {
            _mesh.Step();
        }

        _mesh.RunUntilIdle();
        Assert.Equal([true, false, false, false, true, false, false, false, true, false, false, false], metronome.Results.Take(12));
        Assert.Equal([0u, 4, 8], _log.Select(d => d.Tick));
        var counters = _mesh.Counters;
        Assert.Equal(9, counters.RefusedRefractory);
        Assert.Equal(3, counters.Fired);
        Assert.True(counters.Balances);
    }

    [Fact]
    public void Injected_spikes_are_routed_like_fired_ones_and_marked_external()
    {
        _mesh.AddNeuron(1, new Recorder(_log));
        _mesh.AddNeuron(2, new Recorder(_log));
        _mesh.Subscribe(1, 2);
        var spike = Spike.Create(source: 1, target: Spike.BroadcastTarget);
        spike.SetInlinePayload([5]);
        _mesh.Inject(spike);
        _mesh.Inject(Spike.Create(source: 1000, target: 1));
        _mesh.Inject(Spike.Create(source: 1000, target: 55));
        _mesh.Step();

        Assert.Equal([1u, 2], _log.Select(d => d.Receiver));
        Assert.All(_log, d => Assert.True(d.External));
        Assert.Equal([5], _log[1].Payload);
        var counters = _mesh.Counters;
        Assert.Equal(3, counters.Injected);
        Assert.Equal(2, counters.Delivered);
        Assert.Equal(1, counters.DroppedUnknownTarget);
        Assert.True(counters.Balances);
    }

    [Fact]
    public void Edits_are_checked_and_refused_from_inside_a_callback()
    {
        _mesh.AddNeuron(1, new Recorder(_log));
        Assert.Contains("already in this mesh", Assert.Throws<ArgumentException>(() => _mesh.AddNeuron(1, new Recorder(_log))).Message);
        Assert.Throws<KeyNotFoundException>(() => _mesh.Subscribe(1, 5));
        Assert.Throws<KeyNotFoundException>(() => _mesh.Stimulate(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => _mesh.AddNeuron(Spike.BroadcastTarget, new Recorder(_log)));

        _mesh.AddNeuron(2, new Editor(_mesh));
        _mesh.Stimulate(2);
        _mesh.Step();
        Assert.IsType<InvalidOperationException>(Assert.Single(_mesh.RecentFaults).Exception);
        Assert.Equal([1u, 2], _mesh.NeuronIds);
    }

    [Fact]
    public void Agents_are_discoverable_by_capability_and_region()
    {
        _mesh.AddAgent(new AgentCard("reader", 1, ["ocr"], [RegionPath.Parse("cortex/vision")]), new Recorder(_log, "read"));
        _mesh.AddAgent(new AgentCard("speaker", 2, regions: [RegionPath.Parse("cortex/language")]), new Recorder(_log, "speak"));
        Assert.Equal(["ocr", "read"], _mesh.Directory.Get(1).Capabilities);
        Assert.Equal([2u], _mesh.Directory.FindByCapability("speak").Select(c => c.NeuronId));
        Assert.Equal([1u, 2], _mesh.Directory.FindInRegion(RegionPath.Parse("cortex")).Select(c => c.NeuronId));
        Assert.Throws<ArgumentException>(() => _mesh.AddAgent(new AgentCard("dup", 1), new Recorder(_log)));
        _mesh.RemoveNeuron(2);
        Assert.Empty(_mesh.Directory.FindByCapability("speak"));
    }

    private sealed class Editor(Cortex mesh) : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron) => mesh.RemoveNeuron(1);
    }
}
