using NeuroMesh.Agents;
using NeuroMesh.Fabric;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Fabric;

/// <summary>The Cortex hands spikes for receivers outside the mesh to its egress, and accounts for them.</summary>
[Trait("Tier", "Unit")]
public sealed class CortexEgressTests : IDisposable
{
    private readonly Cortex _mesh = new(new CortexOptions { MaxNeurons = 8, RingCapacity = 64 });
    private readonly RecordingEgress _egress = new();

    public CortexEgressTests() => _mesh.Egress = _egress;

    public void Dispose() => _mesh.Dispose();

    [Fact]
    public void A_broadcast_goes_to_local_and_remote_receivers_and_one_with_only_remote_receivers_is_delivered_not_dropped()
    {
        _mesh.AddNeuron(1, new RelayBehaviour());
        _mesh.AddNeuron(2, new RelayBehaviour());
        _mesh.AddNeuron(3, new RelayBehaviour());
        _mesh.Subscribe(1, 2);
        _egress.Remote[1] = 2; // neuron 1: one local subscriber and two remote targets
        _egress.Remote[3] = 1; // neuron 3: one remote target only
        _mesh.Stimulate(1);
        _mesh.Stimulate(3);
        _mesh.RunUntilIdle();

        var counters = _mesh.Counters;
        Assert.True(counters.Balances, counters.ToString());
        // 1's spike reaches 2 here and two remote targets; 3's reaches one remote target; 2's relayed spike has no receiver anywhere.
        Assert.Equal(3, counters.Fired);
        Assert.Equal(2, counters.Delivered);
        Assert.Equal(4, counters.Deliveries);
        Assert.Equal(3, counters.Forwarded);
        Assert.Equal(1, counters.DroppedNoSubscribers);
        Assert.Equal([1u, 3u], _egress.Offered.Select(s => s.Source).Order());
        Assert.True(_egress.PassesEnded >= 2);
    }

    [Fact]
    public void An_addressed_spike_for_a_neuron_not_here_goes_to_the_egress_and_a_remote_spike_is_never_forwarded_again()
    {
        _mesh.AddNeuron(1, new FireTo(9));
        _egress.Addressed.Add(9);
        _mesh.Stimulate(1);
        var remote = Spike.Create(source: 7, target: 9);
        remote.Flags |= SpikeFlags.Remote;
        _mesh.Inject(in remote);
        _mesh.RunUntilIdle();

        var counters = _mesh.Counters;
        Assert.True(counters.Balances, counters.ToString());
        Assert.Equal(1, counters.Forwarded);
        Assert.Equal(1, counters.DroppedUnknownTarget); // the remote spike, not sent back out
        Assert.Equal([1u], _egress.Offered.Select(s => s.Source));
    }

    private sealed class FireTo(uint target) : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => [];

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
        }

        public void OnFire(NeuronHandle neuron) => neuron.FireTo(target);
    }

    private sealed class RecordingEgress : ICortexEgress
    {
        public Dictionary<uint, int> Remote { get; } = [];

        public HashSet<uint> Addressed { get; } = [];

        public List<Spike> Offered { get; } = [];

        public int PassesEnded { get; private set; }

        public int Forward(in Spike spike)
        {
            var taken = spike.IsBroadcast ? Remote.GetValueOrDefault(spike.Source) : Addressed.Contains(spike.Target) ? 1 : 0;
            if (taken > 0)
            {
                Offered.Add(spike);
            }

            return taken;
        }

        public void EndPass() => PassesEnded++;
    }
}
