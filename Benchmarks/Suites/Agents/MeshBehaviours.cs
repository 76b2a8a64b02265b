using System.Buffers.Binary;
using NeuroMesh.Agents;
using NeuroMesh.Spikes;

namespace NeuroMesh.Benchmarks.Suites.Agents;

/// <summary>Ping-pong, serving side: on a stimulus fires ball 0 at its partner; counts each return and fires the next until done.</summary>
internal sealed class MeshPinger(uint partner, int roundTrips, ManualResetEventSlim done) : INeuronBehaviour
{
    public long Returned { get; private set; }

    public long Checksum { get; private set; }

    public IReadOnlyCollection<string> Capabilities => [];

    public void OnFire(NeuronHandle neuron) => Send(neuron, 0);

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        var seq = BinaryPrimitives.ReadInt32LittleEndian(neuron.ReadPayload(in spike));
        Checksum += seq;
        if (++Returned < roundTrips)
        {
            Send(neuron, seq + 1);
        }
        else
        {
            done.Set();
        }
    }

    private void Send(NeuronHandle neuron, int seq)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, seq);
        if (!neuron.FireTo(partner, payload))
        {
            throw new InvalidOperationException($"ping {seq} refused: {neuron.LastRefusal}");
        }
    }
}

/// <summary>Ping-pong, returning side: fires every ball straight back to its sender.</summary>
internal sealed class MeshPonger : INeuronBehaviour
{
    public long Received { get; private set; }

    public long Checksum { get; private set; }

    public IReadOnlyCollection<string> Capabilities => [];

    public void OnFire(NeuronHandle neuron)
    {
    }

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        var payload = neuron.ReadPayload(in spike);
        Checksum += BinaryPrimitives.ReadInt32LittleEndian(payload);
        Received++;
        if (!neuron.FireTo(spike.Source, payload))
        {
            throw new InvalidOperationException($"pong refused: {neuron.LastRefusal}");
        }
    }
}

/// <summary>
/// Fan-out, sending side: once stimulated, broadcasts up to <paramref name="batch"/> numbered spikes per pass (one
/// ring's worth: the pass drained the ring just before, so nothing is refused) until <paramref name="messages"/> are out.
/// </summary>
internal sealed class MeshPublisher(int messages, int batch) : ITickingBehaviour
{
    private bool _started;

    public int Sent { get; private set; }

    public IReadOnlyCollection<string> Capabilities => [];

    public void OnFire(NeuronHandle neuron) => _started = true;

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
    }

    public void OnTick(NeuronHandle neuron)
    {
        if (!_started)
        {
            return;
        }

        Span<byte> payload = stackalloc byte[4];
        var end = Math.Min(messages, Sent + batch);
        while (Sent < end)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload, Sent);
            if (!neuron.Broadcast(payload))
            {
                return;
            }

            Sent++;
        }
    }
}

/// <summary>Fan-out, receiving side: counts and checksums every spike, and signals once it has them all.</summary>
internal sealed class MeshSubscriber(int expected, CountdownEvent done) : INeuronBehaviour
{
    public long Received { get; private set; }

    public long Checksum { get; private set; }

    public IReadOnlyCollection<string> Capabilities => [];

    public void OnFire(NeuronHandle neuron)
    {
    }

    public void OnSpike(in Spike spike, NeuronHandle neuron)
    {
        Checksum += BinaryPrimitives.ReadInt32LittleEndian(neuron.ReadPayload(in spike));
        if (++Received == expected)
        {
            done.Signal();
        }
    }
}
