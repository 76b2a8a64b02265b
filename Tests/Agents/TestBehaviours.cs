using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Agents;

/// <summary>One delivery as a test sees it (no timestamp, which differs between runs).</summary>
internal sealed record Delivery(uint Receiver, uint Tick, uint Source, uint Target, uint Sequence, SpikeType Type, byte[] Payload, bool Arena, uint DeliveredAt, bool External = false)
{
    public override string ToString() => $"{Source}->{Receiver} tick={Tick}@{DeliveredAt} seq={Sequence} payload={Convert.ToHexString(Payload)}{(Arena ? " (arena)" : "")}";

    public bool Same(Delivery other) => ToString() == other.ToString();
}

/// <summary>Records every spike it receives, payload copied out while it is still live.</summary>
internal class Recorder(List<Delivery> log, params string[] capabilities) : INeuronBehaviour
{
    public IReadOnlyCollection<string> Capabilities => capabilities;

    public int Fires { get; private set; }

    public virtual void OnSpike(in Spike spike, NeuronHandle neuron)
        => log.Add(new Delivery(neuron.Id, spike.Tick, spike.Source, spike.Target, spike.Sequence, spike.Type, neuron.ReadPayload(in spike).ToArray(), spike.HasArenaPayload, neuron.Tick, (spike.Flags & SpikeFlags.External) != 0));

    public virtual void OnFire(NeuronHandle neuron) => Fires++;
}

/// <summary>On each stimulus, broadcasts the given payloads in one burst.</summary>
internal sealed class Sensor(params byte[][] readings) : INeuronBehaviour
{
    public IReadOnlyCollection<string> Capabilities => ["sense"];

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
    }

    public void OnFire(NeuronHandle neuron)
    {
        foreach (var reading in readings)
        {
            Assert.True(neuron.Fire(reading));
        }
    }
}

/// <summary>Records, then broadcasts a verdict: its id followed by the reading's first byte and length.</summary>
internal sealed class Classifier(List<Delivery> log) : Recorder(log, "classify")
{
    public override void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        base.OnSpike(in spike, neuron);
        var payload = neuron.ReadPayload(in spike);
        Assert.True(neuron.Broadcast([(byte)neuron.Id, payload[0], (byte)payload.Length]));
    }
}

/// <summary>Returns a counter to the sender until it reaches a limit.</summary>
internal sealed class PingPong(List<Delivery> log, uint partner, byte rounds) : Recorder(log, "play")
{
    public override void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        base.OnSpike(in spike, neuron);
        var count = neuron.ReadPayload(in spike)[0];
        if (count < rounds)
        {
            Assert.True(neuron.FireTo(spike.Source, [(byte)(count + 1)]));
        }
    }

    public override void OnFire(NeuronHandle neuron) => Assert.True(neuron.FireTo(partner, [0]));
}

/// <summary>Tries to fire on every tick.</summary>
internal sealed class Metronome : ITickingBehaviour
{
    public IReadOnlyCollection<string> Capabilities => [];

    public List<bool> Results { get; } = [];

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
    }

    public void OnFire(NeuronHandle neuron)
    {
    }

    public void OnTick(NeuronHandle neuron) => Results.Add(neuron.Fire());
}

/// <summary>Throws from every callback.</summary>
internal sealed class Thrower : INeuronBehaviour
{
    public IReadOnlyCollection<string> Capabilities => [];

    public void OnSpike(in Spike spike, NeuronHandle neuron) => throw new InvalidDataException($"bad spike {spike.Sequence}");

    public void OnFire(NeuronHandle neuron) => throw new InvalidDataException("bad fire");
}
