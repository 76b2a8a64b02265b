using NeuroMesh.Agents;
using NeuroMesh.Hosting;
using NeuroMesh.Spikes;

namespace NeuroMesh.Tests.Neurons;

/// <summary>Behaviours the neuron-grain tests bind, registered on every silo of the shared cluster.</summary>
public static class TestBehaviours
{
    public const string Throws = "test.throws";

    public const string Counting = "test.counting";

    public static void Register(ISiloBuilder silo) => silo
        .AddNeuronBehaviour<ThrowingBehaviour>(Throws)
        .AddNeuronBehaviour<CountingBehaviour>(Counting);

    /// <summary>Throws from every callback: the mesh must catch, count and report it.</summary>
    public sealed class ThrowingBehaviour : INeuronBehaviour
    {
        public IReadOnlyCollection<string> Capabilities => ["faulty"];

        public void OnSpike(in Spike spike, NeuronHandle neuron) => throw new InvalidOperationException($"boom on spike from {spike.Source}");

        public void OnFire(NeuronHandle neuron) => throw new InvalidOperationException("boom on fire");
    }

    /// <summary>
    /// Counts the spikes it receives, as state that must survive deactivation: each spike records a 4-byte delta, and every
    /// tenth records the whole count (8 bytes) instead, replacing the earlier deltas. <see cref="Seen"/> publishes the count
    /// each neuron's behaviour holds after each spike.
    /// </summary>
    public sealed class CountingBehaviour : IStatefulBehaviour
    {
        private long _count;

        public static System.Collections.Concurrent.ConcurrentDictionary<uint, long> Seen { get; } = new();

        public IReadOnlyCollection<string> Capabilities => ["counting"];

        public void Restore(ReadOnlySpan<byte> delta) => _count = delta.Length == 8 ? BitConverter.ToInt64(delta) : _count + 1;

        public void OnSpike(in Spike spike, NeuronHandle neuron)
        {
            _count++;
            var recorded = _count % 10 == 0 ? neuron.RecordState(BitConverter.GetBytes(_count), replacesEarlier: true) : neuron.RecordState(BitConverter.GetBytes(spike.Source));
            Assert.True(recorded);
            Seen[neuron.Id] = _count;
        }

        public void OnFire(NeuronHandle neuron)
        {
        }
    }
}
